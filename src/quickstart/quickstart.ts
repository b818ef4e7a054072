/**
 * The quickstart: every stage kefu has, end to end, on the sample shop, in a fresh (or reused)
 * workspace: init → sample → clean → split → data report → LLaMA-Factory export → order book →
 * knowledge base → base model → SFT (LoRA) → DPO → GGUF export of the final model (for the eval's
 * node-llama-cpp ablation; the ablation itself is not run here) → start the service → evaluate it over HTTP →
 * register the datasets and the run in the workspace database. Returns what it did, where the files
 * are and the running service (the caller closes it); prints nothing (the CLI renders the result).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Progress } from '../core/progress.js';
import { silentProgress } from '../core/progress.js';
import type { ExportedDataset } from '../data/io/dataset-info.js';
import { type CleanFilesResult, cleanFiles } from '../data/jobs/clean-files.js';
import { exportFiles } from '../data/jobs/export-files.js';
import type { InputSpec } from '../data/jobs/inputs.js';
import { type SplitFilesResult, splitFiles } from '../data/jobs/split-file.js';
import type { EvaluationResult } from '../eval/evaluate.js';
import { runEvaluation } from '../eval/run-evaluation.js';
import type { IngestReport } from '../knowledge/knowledge-base.js';
import { writeSampleShop } from '../shop/sample/write.js';
import type { ShopCounts } from '../shop/store/shop-store.js';
import type { SampleManifest } from '../shop/types.js';
import { registerDatasets } from '../workspace/datasets.js';
import { initWorkspace, openWorkspace } from '../workspace/workspace.js';
import {
  firstCustomer,
  importSampleShop,
  ingestSampleDocs,
  type RunningService,
  startService,
} from './service-stages.js';
import {
  exportGguf,
  type GgufStageResult,
  installBaseModel,
  type StageFigures,
  trainDpo,
  trainSft,
} from './train-stages.js';

export interface QuickstartOptions {
  /** Workspace folder; created when missing. */
  dir: string;
  /** Overrides of the workspace config (`--set`). */
  sets?: readonly string[];
  env?: Record<string, string | undefined>;
  /** A YAML recipe layered over the workspace's kefu.yaml. */
  recipe?: string;
  /** Sample volume multiplier; default: the workspace's sample.scale (1 = the seed's volumes). */
  scale?: number;
  progress?: Progress;
  /** Train (SFT then DPO) after the data stages. Defaults to true. */
  train?: boolean;
  /** Run the seed's training recipes unchanged (all data, 3 + 2 epochs) instead of a quick subset. */
  full?: boolean;
  /** Start the service and evaluate it. Defaults to true. */
  serve?: boolean;
  /** Evaluate the running service. Defaults to true (needs `serve`). */
  evaluate?: boolean;
  /** TCP port of the service; default: the workspace's server.port. 0 = any free port. */
  port?: number;
  /** Cap on the evaluation's questions per set (tests); default: the full sets. */
  evalLimit?: number;
  signal?: AbortSignal;
  /** Called when a stage starts, for a headline per stage. */
  onStage?: (stage: StageName, index: number, total: number) => void;
}

export const STAGES = [
  'workspace',
  'sample',
  'clean',
  'split',
  'export',
  'shop',
  'knowledge',
  'base',
  'sft',
  'dpo',
  'gguf',
  'serve',
  'eval',
  'register',
] as const;
export type StageName = (typeof STAGES)[number];

export interface QuickstartResult {
  runId: string;
  root: string;
  seconds: Record<StageName, number>;
  sample: SampleManifest;
  clean: CleanFilesResult;
  split: SplitFilesResult;
  export: { dir: string; datasets: ExportedDataset[] };
  shop: ShopCounts;
  knowledge: IngestReport;
  training?: { base: string; sft: StageFigures; dpo: StageFigures; gguf: GgufStageResult };
  /** The service, still running: close it when done. */
  service?: RunningService;
  evaluation?: EvaluationResult;
}

const TRAINING: readonly StageName[] = ['base', 'sft', 'dpo', 'gguf'];

/** The stages a run with these options goes through, in order. */
export function plannedStages(options: Pick<QuickstartOptions, 'train' | 'serve' | 'evaluate'>): StageName[] {
  const serve = options.serve ?? true;
  return STAGES.filter(
    (s) =>
      !(TRAINING.includes(s) && options.train === false) &&
      !(s === 'serve' && !serve) &&
      !(s === 'eval' && (!serve || options.evaluate === false)),
  );
}

export async function runQuickstart(options: QuickstartOptions): Promise<QuickstartResult> {
  const progress = options.progress ?? silentProgress;
  const seconds = {} as Record<StageName, number>;
  const planned = plannedStages(options);
  const stage = async <T>(name: StageName, work: () => Promise<T>): Promise<T> => {
    options.onStage?.(name, planned.indexOf(name) + 1, planned.length);
    const started = performance.now();
    const result = await work();
    seconds[name] = Math.round(performance.now() - started) / 1000;
    return result;
  };

  const { root } = await stage('workspace', () => initWorkspace(options.dir));
  const workspace = openWorkspace(root, { sets: options.sets, env: options.env, recipe: options.recipe });
  try {
    const { config } = workspace;
    const runId = `quickstart-${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`;
    await workspace.storage().runs.start({ id: runId, kind: 'quickstart', config });
    let service: RunningService | undefined;
    try {
      return await stages(runId, (s) => {
        service = s;
      });
    } catch (error) {
      await service?.close();
      await workspace.storage().runs.finish(runId, 'failed', { error: String(error), seconds });
      throw error;
    }
  } finally {
    workspace.close();
  }

  async function stages(runId: string, started: (s: RunningService) => void): Promise<QuickstartResult> {
    const { config } = workspace;

    const sampleDir = workspace.path('sample');
    const sample = await stage('sample', () =>
      writeSampleShop(sampleDir, {
        seed: config.sample.seed,
        scale: options.scale ?? config.sample.scale,
        progress,
      }),
    );
    const raw = (name: string): InputSpec => ({
      file: join(sampleDir, 'datasets', `${name}.json`),
      name,
      read: {},
    });
    const cleanDir = workspace.path('datasets', 'clean');
    const clean = await stage('clean', () =>
      cleanFiles([raw('sft'), raw('faq'), raw('preference')], cleanDir, {
        config: config.data.clean,
        progress,
        title: 'kefu quickstart: sample shop data',
      }),
    );
    const cleaned = (name: string): InputSpec => ({ file: join(cleanDir, `${name}.json`), name, read: {} });
    const splitDir = workspace.path('datasets', 'splits');
    const split = await stage('split', () =>
      splitFiles([cleaned('sft')], splitDir, { ...config.data.split, prefix: 'sft.' }),
    );
    const exportDir = workspace.path('datasets', 'llamafactory');
    const splitInput = (s: 'train' | 'validation' | 'test'): InputSpec => ({
      file: join(splitDir, `sft.${s}.json`),
      name: `kefu_sft_${s}`,
      read: {},
    });
    const exported = await stage('export', () =>
      exportFiles(
        [
          splitInput('train'),
          splitInput('validation'),
          splitInput('test'),
          cleaned('faq'),
          cleaned('preference'),
        ],
        exportDir,
        { names: ['kefu_sft_train', 'kefu_sft_validation', 'kefu_sft_test', 'kefu_faq', 'kefu_dpo'] },
      ),
    );
    const dbPath = workspace.path(config.storage.database);
    const shop = await stage('shop', () => importSampleShop(dbPath, sampleDir));
    const knowledge = await stage('knowledge', () =>
      ingestSampleDocs(dbPath, sampleDir, config.knowledge, progress),
    );
    let training: QuickstartResult['training'];
    if (options.train ?? true) {
      const trainOptions = {
        root,
        full: options.full ?? false,
        progress,
        ...(options.signal ? { signal: options.signal } : {}),
      };
      const base = await stage('base', () => installBaseModel(root));
      const sft = await stage('sft', () => trainSft(trainOptions));
      const dpo = await stage('dpo', () => trainDpo(trainOptions));
      const gguf = await stage('gguf', () => exportGguf(root));
      training = { base, sft, dpo, gguf };
    }
    let service: RunningService | undefined;
    let evaluation: EvaluationResult | undefined;
    if (planned.includes('serve')) {
      const customerId = (await firstCustomer(dbPath)) ?? 'C100001';
      service = await stage('serve', () =>
        startService(root, dbPath, config, {
          customerId,
          ...(options.port !== undefined ? { port: options.port } : {}),
          ...(options.env ? { env: options.env } : {}),
        }),
      );
      started(service);
      const url = service.url;
      const secret = service.secret;
      if (planned.includes('eval')) {
        evaluation = await stage('eval', () =>
          runEvaluation({
            root,
            dbPath,
            url,
            secret,
            progress,
            ...(options.evalLimit ? { limit: options.evalLimit } : {}),
            ...(options.env ? { env: options.env } : {}),
            ...(options.signal ? { signal: options.signal } : {}),
          }),
        );
      }
    }
    const result: QuickstartResult = {
      runId,
      root,
      seconds,
      sample,
      clean,
      split,
      export: { dir: exportDir, datasets: exported },
      shop,
      knowledge,
      ...(training ? { training } : {}),
      ...(service ? { service } : {}),
      ...(evaluation ? { evaluation } : {}),
    };
    await stage('register', () =>
      workspace.storage().transaction(async (tx) => {
        await registerDatasets(tx, root, [
          ...clean.files.map((f) => ({
            name: `clean.${f.name}`,
            kind: f.name === 'preference' ? ('preference' as const) : ('sft' as const),
            format: f.format,
            path: f.output,
            records: f.kept,
            meta: { run: runId, from: f.input },
          })),
          ...split.files.map((f) => ({
            name: `split.sft.${f.split}`,
            kind: 'sft' as const,
            format: 'alpaca',
            path: f.path,
            records: f.records,
            meta: { run: runId, seed: config.data.split.seed },
          })),
        ]);
        await tx.runs.finish(runId, 'succeeded', {
          seconds,
          clean: clean.summary,
          split: Object.fromEntries(split.files.map((f) => [f.split, f.records])),
          ...(training ? { training } : {}),
          ...(evaluation ? { evaluation: evaluation.summary } : {}),
        });
      }),
    );
    return result;
  }
}
