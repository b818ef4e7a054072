/**
 * `cleanFiles`: stream dataset files through one `Cleaner` (so duplicates are found across files)
 * and write, into `outDir`, all at once or not at all:
 *   <name>.json|jsonl   the kept records, masked, in the records' own format;
 *   audit.jsonl         one line per record that was dropped or changed, with its reasons
 *                       (dropped records are included masked; invalid ones only by location);
 *   report.json, report.html   statistics of the kept data beside what cleaning did.
 * Memory stays bounded: records stream from reader to writer; only hashes are kept for dedupe.
 */
import { extname } from 'node:path';
import { AtomicDir, AtomicWriteStream, writeFileAtomic } from '../../core/atomic-file.js';
import { type Progress, silentProgress } from '../../core/progress.js';
import type { CleanConfig } from '../clean/config.js';
import { Cleaner, type CleanSummary } from '../clean/pipeline.js';
import type { Example, RecordFormat } from '../example.js';
import { toRecord } from '../formats/index.js';
import { readExamples } from '../io/read.js';
import { writeExamples } from '../io/write.js';
import { renderReportHtml } from '../report/html.js';
import { DatasetStats, type DatasetStatsReport } from '../stats.js';
import type { InputSpec } from './inputs.js';

export interface CleanedFile {
  name: string;
  input: string;
  output: string;
  format: RecordFormat;
  read: number;
  kept: number;
  dropped: number;
  invalid: number;
}

export interface CleanFilesResult {
  outDir: string;
  files: CleanedFile[];
  summary: CleanSummary & { invalid: number };
  stats: DatasetStatsReport;
  audit: string;
  reportHtml: string;
  reportJson: string;
}

export interface CleanFilesOptions {
  config?: CleanConfig;
  progress?: Progress;
  /** Title of the HTML report. */
  title?: string;
}

async function firstFormat(input: InputSpec): Promise<RecordFormat | undefined> {
  for await (const item of readExamples(input.file, input.read))
    if (item.ok) return item.example.source?.format;
  return undefined;
}

export async function cleanFiles(
  inputs: readonly InputSpec[],
  outDir: string,
  options: CleanFilesOptions = {},
): Promise<CleanFilesResult> {
  const cleaner = new Cleaner(options.config);
  const stats = new DatasetStats();
  const dir = await AtomicDir.create(outDir);
  const audit = await AtomicWriteStream.open(dir.file('audit.jsonl'));
  const files: CleanedFile[] = [];
  const task = (options.progress ?? silentProgress).start('clean', 0, 'records');
  let invalidTotal = 0;
  try {
    const used = new Set<string>();
    for (const input of inputs) {
      const format = (await firstFormat(input)) ?? 'alpaca';
      let name = input.name;
      for (let n = 2; used.has(name); n++) name = `${input.name}-${n}`;
      used.add(name);
      const ext = extname(input.file) === '.jsonl' ? '.jsonl' : '.json';
      const file: CleanedFile = {
        name,
        input: input.file,
        output: `${outDir}/${name}${ext}`,
        format,
        read: 0,
        kept: 0,
        dropped: 0,
        invalid: 0,
      };
      const auditLines: string[] = [];
      const kept = async function* (): AsyncGenerator<Example> {
        let lastInvalidLine = -1;
        for await (const item of readExamples(input.file, input.read)) {
          if (!item.ok) {
            const { line, field, message } = item.issue;
            auditLines.push(
              JSON.stringify({
                file: input.file,
                line,
                action: 'drop',
                reasons: [{ code: 'invalid', field, detail: message }],
              }),
            );
            if (line !== lastInvalidLine) {
              file.invalid++;
              file.read++;
              task.tick();
            }
            lastInvalidLine = line;
          } else {
            file.read++;
            task.tick();
            const decision = cleaner.process(item.example);
            const changed = Object.keys(decision.masked).length > 0;
            if (decision.action === 'drop' || changed) {
              auditLines.push(
                JSON.stringify({
                  file: input.file,
                  line: item.example.source?.line,
                  id: item.example.id,
                  action: decision.action === 'drop' ? 'drop' : 'mask',
                  reasons: decision.reasons,
                  ...(decision.action === 'drop' ? { record: toRecord(decision.example, format) } : {}),
                }),
              );
            }
            if (decision.action === 'keep') {
              file.kept++;
              stats.add(decision.example);
              yield decision.example;
            } else file.dropped++;
          }
          if (auditLines.length >= 256) await audit.write(`${auditLines.splice(0).join('\n')}\n`);
        }
        if (auditLines.length) await audit.write(`${auditLines.splice(0).join('\n')}\n`);
      };
      await writeExamples(dir.file(`${name}${ext}`), kept(), format);
      invalidTotal += file.invalid;
      files.push(file);
    }
    task.done();
    await audit.commit();
    const summary = { ...cleaner.summary(), invalid: invalidTotal };
    summary.processed += invalidTotal;
    summary.dropped += invalidTotal;
    if (invalidTotal) summary.reasons.invalid = invalidTotal;
    const report = stats.toJSON();
    const html = renderReportHtml({
      title: options.title ?? 'kefu data clean report',
      stats: report,
      clean: summary,
      generatedAt: new Date(),
    });
    await writeFileAtomic(dir.file('report.html'), html);
    await writeFileAtomic(
      dir.file('report.json'),
      `${JSON.stringify({ files, summary, stats: report }, null, 2)}\n`,
    );
    await dir.commit();
    return {
      outDir,
      files,
      summary,
      stats: report,
      audit: `${outDir}/audit.jsonl`,
      reportHtml: `${outDir}/report.html`,
      reportJson: `${outDir}/report.json`,
    };
  } catch (error) {
    await audit.abort();
    await dir.abort();
    throw error;
  }
}
