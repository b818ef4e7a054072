import { describe, expect, it } from 'vitest';
import { serviceSummaryLines } from './service-summary.js';

const service = {
  url: 'http://127.0.0.1:8787',
  consoleUrl: 'http://127.0.0.1:8787/console/',
  model: 'models/dpo',
  customerId: 'C100001',
  customerToken: 'kefu1.claims.sig',
  logFile: '/ws/logs/server.jsonl',
};
const options = { workspace: '/ws', rel: (p: string) => p.replace(/^\/ws\/?/, '') || '.' };

describe('the quickstart service summary', () => {
  it('shows the console and the key generated for this run while serving', () => {
    const key = 'Zm9vYmFyYmF6cXV4LXF1dXgtY29yZ2UtZ3JhdWx0';
    const text = serviceSummaryLines(
      { ...service, adminKey: { origin: 'generated', key } },
      { ...options, serving: true },
    ).join('\n');
    expect(text).toContain('web console            http://127.0.0.1:8787/console/');
    expect(text).toContain(`admin key (this run only) ${key}`);
    expect(text.split(key)).toHaveLength(2); // printed once
    expect(text).toContain('kefu chat --workspace . --customer C100001');
    expect(text).toContain('server log             logs/server.jsonl');
  });

  it('never shows a configured key, and leaves the console out when it stops after the evaluation', () => {
    const configured = serviceSummaryLines(
      { ...service, adminKey: { origin: 'configured' } },
      { ...options, serving: true },
    );
    expect(configured.at(-1)).toBe('  admin key              the one in your config / $KEFU_ADMIN_KEY');
    const stopping = serviceSummaryLines(
      { ...service, adminKey: { origin: 'generated', key: 'k'.repeat(32) } },
      { ...options, serving: false },
    ).join('\n');
    expect(stopping).not.toContain('console');
    expect(stopping).not.toContain('k'.repeat(32));
    expect(stopping).toContain('OpenAI-compatible API  http://127.0.0.1:8787/v1');
    expect(stopping).not.toContain('is serving');
    expect(stopping).toContain('start it again with: kefu serve --workspace .');
  });
});
