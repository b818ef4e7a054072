/**
 * `validateFiles`: read every record of every input and collect each problem as
 * `file:line: field: message` (messages never quote field values). File-level problems
 * (encoding, truncated JSON) end that file's check and are reported the same way. Prints nothing.
 */
import { InputError } from '../../core/errors.js';
import { type Progress, silentProgress } from '../../core/progress.js';
import type { RecordIssue } from '../example.js';
import { readExamples } from '../io/read.js';
import type { InputSpec } from './inputs.js';

export interface FileValidation {
  file: string;
  name: string;
  valid: number;
  invalidRecords: number;
  /** Exact number of problems (the list below keeps the first 1,000). */
  issueCount: number;
  issues: RecordIssue[];
  /** Set when the file could not be read to the end. */
  fatal?: string;
}

export interface ValidationResult {
  files: FileValidation[];
  valid: number;
  issues: number;
}

/** Keep at most this many issues per file in memory; the count stays exact. */
const MAX_ISSUES_PER_FILE = 1000;

export function formatIssue(issue: RecordIssue): string {
  return `${issue.file}:${issue.line}: ${issue.field}: ${issue.message}`;
}

export async function validateFiles(
  inputs: readonly InputSpec[],
  options: { progress?: Progress } = {},
): Promise<ValidationResult> {
  const files: FileValidation[] = [];
  const task = (options.progress ?? silentProgress).start('validate', 0, 'records');
  for (const input of inputs) {
    const result: FileValidation = {
      file: input.file,
      name: input.name,
      valid: 0,
      invalidRecords: 0,
      issueCount: 0,
      issues: [],
    };
    let lastBadLine = -1;
    try {
      for await (const item of readExamples(input.file, input.read)) {
        task.tick();
        if (item.ok) {
          result.valid++;
          continue;
        }
        result.issueCount++;
        if (item.issue.line !== lastBadLine) result.invalidRecords++;
        lastBadLine = item.issue.line;
        if (result.issues.length < MAX_ISSUES_PER_FILE) result.issues.push(item.issue);
      }
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      result.fatal = error.message;
      result.issueCount++;
    }
    files.push(result);
  }
  task.done();
  return {
    files,
    valid: files.reduce((n, f) => n + f.valid, 0),
    issues: files.reduce((n, f) => n + f.issueCount, 0),
  };
}
