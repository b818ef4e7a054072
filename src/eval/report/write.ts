/**
 * Writing an evaluation's outputs: report.json, report.html and records.jsonl (every graded item
 * of every variant) appear together in one folder (staged, then committed — a failed run leaves
 * nothing half-written), and one line is added to the history file, itself rewritten atomically.
 */
import { AtomicDir, writeFileAtomic } from '../../core/atomic-file.js';
import type { RunRecords } from '../results.js';
import { appendHistory, type HistoryEntry } from './history.js';
import { renderEvalHtml } from './html.js';
import type { EvalReport } from './report.js';

export interface WrittenReport {
  dir: string;
  json: string;
  html: string;
  records: string;
  history?: string;
}

export async function writeEvalReport(
  dir: string,
  report: EvalReport,
  records: readonly { variant: string; records: RunRecords }[],
  history?: { path: string; entry: HistoryEntry },
): Promise<WrittenReport> {
  const out = await AtomicDir.create(dir);
  try {
    await writeFileAtomic(out.file('report.json'), `${JSON.stringify(report, null, 2)}\n`);
    await writeFileAtomic(out.file('report.html'), renderEvalHtml(report));
    const lines: string[] = [];
    for (const { variant, records: r } of records) {
      for (const set of ['accuracy', 'coherence', 'replacement', 'safety'] as const) {
        for (const item of r[set]) lines.push(JSON.stringify({ variant, set, ...item }));
      }
    }
    await writeFileAtomic(out.file('records.jsonl'), lines.length ? `${lines.join('\n')}\n` : '');
    await out.commit();
  } catch (error) {
    await out.abort().catch(() => undefined);
    throw error;
  }
  if (history) await appendHistory(history.path, history.entry);
  return {
    dir,
    json: `${dir}/report.json`,
    html: `${dir}/report.html`,
    records: `${dir}/records.jsonl`,
    ...(history ? { history: history.path } : {}),
  };
}
