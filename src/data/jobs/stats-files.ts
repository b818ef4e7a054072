/**
 * `statsFiles`: one streaming pass over dataset files into `DatasetStats`, then optionally the
 * HTML page. Records that fail validation are counted as invalid, not added. Used by
 * `kefu data stats` and the quickstart; prints nothing.
 */
import { writeFileAtomic } from '../../core/atomic-file.js';
import type { Progress } from '../../core/progress.js';
import { silentProgress } from '../../core/progress.js';
import { readExamples } from '../io/read.js';
import { renderReportHtml } from '../report/html.js';
import { type CleanSummary, DatasetStats, type DatasetStatsReport } from '../stats.js';
import type { InputSpec } from './inputs.js';

export interface StatsResult {
  stats: DatasetStatsReport;
  invalid: number;
}

export async function statsFiles(
  inputs: readonly InputSpec[],
  options: { progress?: Progress; htmlPath?: string; title?: string; clean?: CleanSummary } = {},
): Promise<StatsResult> {
  const stats = new DatasetStats();
  let invalid = 0;
  const task = (options.progress ?? silentProgress).start('stats', 0, 'records');
  for (const input of inputs) {
    for await (const item of readExamples(input.file, input.read)) {
      if (item.ok) stats.add(item.example);
      else invalid++;
      task.tick();
    }
  }
  task.done();
  const report = stats.toJSON();
  if (options.htmlPath) {
    const html = renderReportHtml({
      title: options.title ?? 'kefu dataset report',
      stats: report,
      clean: options.clean,
      generatedAt: new Date(),
    });
    await writeFileAtomic(options.htmlPath, html);
  }
  return { stats: report, invalid };
}
