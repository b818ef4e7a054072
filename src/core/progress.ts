/**
 * Progress reporting for long work: a bar with count, rate and ETA on a terminal, a line every
 * few seconds when stderr is not a terminal, and nothing at all when silenced (`--json`, tests).
 * Library code takes a `Progress` and never prints by itself; the CLI decides how it renders.
 */

export interface ProgressTask {
  /** Advance by `n` units (records, steps, bytes: the caller states which in `unit`). */
  tick(n?: number, status?: string): void;
  /** Replace the total when it becomes known. */
  setTotal(total: number): void;
  done(status?: string): void;
}

export interface Progress {
  /** Start a task of `total` units (0 when unknown). */
  start(label: string, total: number, unit?: string): ProgressTask;
}

const noopTask: ProgressTask = { tick() {}, setTotal() {}, done() {} };

/** Reports nothing. */
export const silentProgress: Progress = { start: () => noopTask };

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  if (m < 60) return `${m}m${String(s).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export interface StreamProgressOptions {
  /** Where to draw. Defaults to process.stderr. */
  stream?: NodeJS.WriteStream;
  /** Minimum milliseconds between redraws. Defaults to 100 on a TTY, 5000 otherwise. */
  intervalMs?: number;
  /** Clock, for tests. Defaults to performance.now. */
  now?: () => number;
}

/** Draws a bar on a TTY (`label [#####.....] 50/100 items 12.3/s ETA 4s`), plain lines otherwise. */
export function streamProgress(options: StreamProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const tty = Boolean(stream.isTTY);
  const interval = options.intervalMs ?? (tty ? 100 : 5000);
  const now = options.now ?? (() => performance.now());
  return {
    start(label, total, unit = 'items') {
      const started = now();
      let count = 0;
      // On a terminal draw at once; in logs, only once the work has run for a full interval.
      let lastDraw = tty ? Number.NEGATIVE_INFINITY : started;
      let status = '';
      const render = (final: boolean): string => {
        const elapsed = (now() - started) / 1000;
        const rate = elapsed > 0 ? count / elapsed : 0;
        const parts = [label];
        if (total > 0) {
          const fraction = Math.min(1, count / total);
          const width = 24;
          const filled = Math.round(fraction * width);
          parts.push(`[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`, `${count}/${total} ${unit}`);
          if (!final) parts.push(`ETA ${formatDuration(rate > 0 ? (total - count) / rate : Number.NaN)}`);
        } else {
          parts.push(`${count} ${unit}`);
        }
        parts.push(`${rate >= 100 ? Math.round(rate) : rate.toFixed(1)}/s`);
        if (final) parts.push(`in ${formatDuration(elapsed)}`);
        if (status) parts.push(status);
        return parts.join(' ');
      };
      const draw = (final: boolean) => {
        const t = now();
        if (!final && t - lastDraw < interval) return;
        lastDraw = t;
        const line = render(final);
        stream.write(tty ? `\r\x1b[2K${line}${final ? '\n' : ''}` : `${line}\n`);
      };
      return {
        tick(n = 1, newStatus) {
          count += n;
          if (newStatus !== undefined) status = newStatus;
          draw(false);
        },
        setTotal(newTotal) {
          total = newTotal;
        },
        done(finalStatus) {
          if (finalStatus !== undefined) status = finalStatus;
          draw(true);
        },
      };
    },
  };
}
