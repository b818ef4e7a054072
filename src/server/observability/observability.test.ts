import { describe, expect, it } from 'vitest';
import { jsonLogger } from './logger.js';
import { Counter, Histogram, Registry } from './metrics.js';

describe('metrics', () => {
  it('renders counters and histograms in the Prometheus text format', () => {
    const registry = new Registry();
    const counter = registry.add(new Counter('x_total', 'Things.'));
    const histogram = registry.add(new Histogram('x_seconds', 'Latency.', [0.1, 1]));
    counter.inc({ code: 'E_"Q' });
    histogram.observe(0.05, { route: '/a' });
    histogram.observe(0.5, { route: '/a' });
    const text = registry.render();
    expect(text).toContain('# TYPE x_total counter');
    expect(text).toContain('x_total{code="E_\\"Q"} 1');
    expect(text).toContain('x_seconds_bucket{route="/a",le="0.1"} 1');
    expect(text).toContain('x_seconds_bucket{route="/a",le="1"} 2');
    expect(text).toContain('x_seconds_bucket{route="/a",le="+Inf"} 2');
    expect(text).toContain('x_seconds_count{route="/a"} 2');
  });
});

describe('jsonLogger', () => {
  it('writes one JSON object a line with personal data and credentials masked', () => {
    const lines: string[] = [];
    const logger = jsonLogger((line) => lines.push(line));
    logger.log('info', '顾客手机 13812345678', {
      requestId: 'r1',
      note: '邮箱 a.b@example.com',
      token: 'abc',
    });
    const entry = JSON.parse(lines[0]!) as Record<string, string>;
    expect(entry.msg).toBe('顾客手机 [手机号]');
    expect(entry.note).toBe('邮箱 [邮箱]');
    expect(entry.token).toBe('[redacted]');
    expect(entry.requestId).toBe('r1');
    expect(lines[0]).not.toContain('13812345678');
  });
});
