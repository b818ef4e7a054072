/**
 * `kefu kb`: the knowledge base of the workspace — `ingest` files and folders, `search` them
 * (hybrid, bm25 or dense, with metadata filters), and `status`. Flags become calls to
 * src/knowledge; the config is the workspace's `knowledge:` section (defaults when absent).
 */
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { knowledgeConfigSchema } from '../../knowledge/config.js';
import { type KnowledgeBase, openKnowledgeBase } from '../../knowledge/knowledge-base.js';
import { parseKeyValues } from '../../knowledge/metadata.js';
import type { CommandContext } from '../context.js';

const collect = (value: string, previous: string[]) => [...previous, value];

async function withKnowledgeBase<T>(
  ctx: CommandContext,
  work: (kb: KnowledgeBase) => Promise<T>,
): Promise<T> {
  const workspace = ctx.workspace();
  const section = (workspace.config as { knowledge?: unknown }).knowledge;
  const kb = await openKnowledgeBase({
    dbPath: workspace.path(workspace.config.storage.database),
    config: knowledgeConfigSchema.parse(section ?? {}),
    env: ctx.io.env,
    baseDir: workspace.root,
  });
  try {
    return await work(kb);
  } finally {
    await kb.close();
  }
}

export function registerKb(program: Command, context: () => CommandContext): void {
  const kb = program
    .command('kb')
    .description('the knowledge base: ingest policies, manuals and FAQ; search them')
    .addHelpText(
      'after',
      '\nExamples:\n  $ kefu kb ingest sample/docs\n  $ kefu kb search "退货运费谁出"\n  $ kefu kb status',
    );

  kb.command('ingest')
    .description(
      'add or update Markdown, TXT, HTML and PDF files (folders are walked); unchanged files are skipped',
    )
    .argument('<paths...>', 'files or folders')
    .option('--meta <key=value>', 'metadata for every chunk of these files (repeatable)', collect, [])
    .option('--root <dir>', 'name sources relative to this folder (default: a folder’s parent)')
    .addHelpText(
      'after',
      `
Chunks keep their source, title, heading path and metadata: kind (policy / manual / faq / other,
from the path), productId (manuals named like P10023.md) and your --meta pairs. A changed file
replaces its chunks; if any file fails to parse, nothing is written and the error names it.

Examples:
  $ kefu kb ingest sample/docs
  $ kefu kb ingest notice.html --meta kind=policy --meta season=spring`,
    )
    .action(async (paths: string[], options: { meta: string[]; root?: string }) => {
      const ctx = context();
      const meta = parseKeyValues(options.meta, '--meta');
      const report = await withKnowledgeBase(ctx, (base) =>
        base.ingest(paths, {
          meta,
          cwd: ctx.io.cwd,
          progress: ctx.progress(),
          ...(options.root ? { root: options.root } : {}),
        }),
      );
      ctx.result(report);
      ctx.print(
        `${report.files} file(s): ${report.added.length} added, ${report.updated.length} updated, ` +
          `${report.unchanged.length} unchanged; ${report.chunksWritten} chunks written, ${report.chunksRemoved} replaced`,
      );
      if (report.refitted)
        ctx.print(`embedding model re-fitted (${report.embedder}); ${report.reembedded} chunks re-embedded`);
      ctx.print(`took ${(report.ms / 1000).toFixed(1)} s`);
    });

  kb.command('search')
    .description('retrieve passages for a question')
    .argument('<query>', 'the question')
    .option('--mode <mode>', 'hybrid | bm25 | dense', 'hybrid')
    .option('--filter <key=value>', 'exact metadata match (repeatable), e.g. kind=policy', collect, [])
    .option('--limit <n>', 'passages to return', (v) => Number.parseInt(v, 10), 5)
    .addHelpText(
      'after',
      '\nExamples:\n  $ kefu kb search "退货运费谁出"\n  $ kefu kb search "显示E3怎么办" --filter productId=P10023 --mode bm25 --json',
    )
    .action(async (query: string, options: { mode: string; filter: string[]; limit: number }) => {
      const ctx = context();
      if (!['hybrid', 'bm25', 'dense'].includes(options.mode)) {
        throw new UsageError(`--mode must be hybrid, bm25 or dense, got "${options.mode}"`);
      }
      if (!(options.limit >= 1)) throw new UsageError('--limit must be a positive integer');
      const filter = parseKeyValues(options.filter, '--filter');
      const passages = await withKnowledgeBase(ctx, (base) =>
        base.retriever.retrieve(query, {
          mode: options.mode as 'hybrid' | 'bm25' | 'dense',
          filter,
          limit: options.limit,
        }),
      );
      ctx.result({ query, mode: options.mode, passages });
      if (passages.length === 0) ctx.print('no passages (is anything ingested? `kefu kb status`)');
      passages.forEach((p, i) => {
        ctx.print(`${i + 1}. ${p.source} › ${[p.title, ...p.headings].join(' › ')}  (${p.score.toFixed(4)})`);
        ctx.print(`   ${p.text.replace(/\s+/g, ' ').slice(0, 160)}`);
      });
    });

  kb.command('status')
    .description('documents, chunks, kinds, embedder and store')
    .addHelpText('after', '\nExamples:\n  $ kefu kb status\n  $ kefu kb status --json')
    .action(async () => {
      const ctx = context();
      const stats = await withKnowledgeBase(ctx, (base) => base.stats());
      ctx.result(stats);
      const kinds = Object.entries(stats.byKind)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ');
      ctx.print(`${stats.documents} documents (${kinds || 'none'}), ${stats.chunks} chunks`);
      ctx.print(
        `embedder: ${stats.embedder ? `${stats.embedder.id} (${stats.embedder.dimensions} dims)` : 'none yet (fitted at the first ingest)'}`,
      );
      ctx.print(`store: ${stats.store}, ${stats.denseVectors} vectors`);
    });
}
