import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatDuration, streamProgress } from './progress.js';

function capture(isTTY: boolean) {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream & { isTTY: boolean };
  stream.isTTY = isTTY;
  let text = '';
  (stream as unknown as PassThrough).on('data', (c) => (text += c));
  return { stream, text: () => text };
}

describe('progress', () => {
  it('draws a bar with count, ETA and rate on a terminal', () => {
    let now = 0;
    const out = capture(true);
    const task = streamProgress({ stream: out.stream, intervalMs: 0, now: () => now }).start(
      'clean',
      100,
      'records',
    );
    now = 1000;
    task.tick(50);
    expect(out.text()).toContain('clean [############............] 50/100 records ETA 1.0s 50.0/s');
    now = 2000;
    task.tick(50);
    task.done('ok');
    expect(out.text()).toMatch(/100\/100 records 50\.0\/s in 2\.0s ok\n$/);
  });

  it('writes plain lines, rate-limited, when not on a terminal', () => {
    let now = 0;
    const out = capture(false);
    const task = streamProgress({ stream: out.stream, intervalMs: 5000, now: () => now }).start('stats', 0);
    for (let i = 1; i <= 10; i++) {
      now = i * 1000;
      task.tick();
    }
    task.done();
    const lines = out.text().trim().split('\n');
    expect(lines).toEqual(['stats 5 items 1.0/s', 'stats 10 items 1.0/s', 'stats 10 items 1.0/s in 10s']);
    expect(out.text()).not.toContain('\x1b');
  });

  it('formats durations', () => {
    expect(formatDuration(3.21)).toBe('3.2s');
    expect(formatDuration(75)).toBe('1m15s');
    expect(formatDuration(7380)).toBe('2h03m');
    expect(formatDuration(Number.NaN)).toBe('?');
  });
});
