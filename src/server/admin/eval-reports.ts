/**
 * The evaluation reports a workspace holds, for GET /admin/reports: each `reports/eval-<time>/`
 * folder `kefu eval` wrote (newest first) with the report files present, and the run history
 * (`reports/eval-history.jsonl`, damaged lines skipped); and one report file read back by name.
 * Only plain folders named `eval-<letters, digits, - and _>` and the three known file names are
 * served — never a symlink, never a path built from anything else — so a request cannot reach
 * outside reports/.
 * Does not: write or render reports (src/eval does).
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NotFoundError } from '../../core/errors.js';

/** `kefu eval` names its folders reports/eval-<ISO time with - for : and .>. */
const REPORT_NAME = /^eval-[\w-]{1,80}$/;

/** The files served, with their content types. */
export const REPORT_FILES: Readonly<Record<string, string>> = {
  'report.html': 'text/html; charset=utf-8',
  'report.json': 'application/json; charset=utf-8',
  'records.jsonl': 'application/x-ndjson; charset=utf-8',
};

export interface EvalReportFolder {
  name: string;
  /** The folder's modification time (ISO 8601). */
  createdAt: string;
  /** Which of report.html, report.json, records.jsonl it holds. */
  files: string[];
}

export interface EvalReportsListing {
  reports: EvalReportFolder[];
  /** The lines of reports/eval-history.jsonl, oldest first (each has `at`). */
  history: Record<string, unknown>[];
}

const isPlain = async (path: string, kind: 'file' | 'dir') => {
  try {
    const stat = await lstat(path);
    return kind === 'file' ? stat.isFile() : stat.isDirectory();
  } catch {
    return false;
  }
};

export async function listEvalReports(root: string): Promise<EvalReportsListing> {
  const dir = join(root, 'reports');
  if (!(await isPlain(dir, 'dir'))) return { reports: [], history: [] };
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory() && REPORT_NAME.test(entry.name))
    .map((entry) => entry.name)
    .sort()
    .reverse();
  const reports: EvalReportFolder[] = [];
  for (const name of names) {
    const folder = join(dir, name);
    const files: string[] = [];
    for (const file of Object.keys(REPORT_FILES)) {
      if (await isPlain(join(folder, file), 'file')) files.push(file);
    }
    reports.push({ name, createdAt: (await lstat(folder)).mtime.toISOString(), files });
  }
  return { reports, history: await readHistory(join(dir, 'eval-history.jsonl')) };
}

async function readHistory(file: string): Promise<Record<string, unknown>[]> {
  if (!(await isPlain(file, 'file'))) return [];
  return (await readFile(file, 'utf8')).split('\n').flatMap((line) => {
    try {
      const entry = JSON.parse(line) as unknown;
      return entry && typeof entry === 'object' && typeof (entry as { at?: unknown }).at === 'string'
        ? [entry as Record<string, unknown>]
        : [];
    } catch {
      return []; // a blank or damaged line
    }
  });
}

/** One report file's bytes and content type; NotFoundError for any other name or a missing file. */
export async function readEvalReportFile(
  root: string,
  name: string,
  file: string,
): Promise<{ bytes: Uint8Array<ArrayBuffer>; contentType: string }> {
  const contentType = Object.hasOwn(REPORT_FILES, file) ? REPORT_FILES[file] : undefined;
  const folder = join(root, 'reports', name);
  const path = join(folder, file);
  if (
    !REPORT_NAME.test(name) ||
    !contentType ||
    !(await isPlain(folder, 'dir')) ||
    !(await isPlain(path, 'file'))
  ) {
    throw new NotFoundError(`no report file ${name}/${file}`, { hint: 'GET /admin/reports lists them' });
  }
  return { bytes: new Uint8Array(await readFile(path)), contentType };
}
