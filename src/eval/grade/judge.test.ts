/**
 * The judge's verdict parsing, and one call through a local OpenAI-compatible endpoint (a judge
 * model cannot run in the tests; the endpoint here answers as one would, so the request shape and
 * the reading of the answer are exercised over real HTTP).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createOpenAiJudge, JUDGE_SYSTEM, parseVerdict } from './judge.js';

describe('judge', () => {
  it('reads JSON verdicts and loose ones', () => {
    expect(parseVerdict('{"correct": true, "reason": "状态一致"}')).toEqual({
      pass: true,
      reason: '状态一致',
    });
    expect(parseVerdict('结果：```json\n{"correct": false, "reason": "金额不对"}\n```')).toEqual({
      pass: false,
      reason: '金额不对',
    });
    expect(parseVerdict('correct: false').pass).toBe(false);
    expect(parseVerdict('回复不正确').pass).toBe(false);
    expect(parseVerdict('正确').pass).toBe(true);
    expect(parseVerdict('嗯').reason).toMatch(/unreadable/);
  });

  it('asks an OpenAI-compatible endpoint and reads its answer', async () => {
    const seen: { auth?: string; body?: { model: string; messages: { role: string; content: string }[] } } =
      {};
    const server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        seen.auth = req.headers.authorization;
        seen.body = JSON.parse(raw);
        const content = seen.body?.messages[1]?.content.includes('已发货')
          ? '{"correct": true, "reason": "ok"}'
          : '{"correct": false, "reason": "no"}';
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content } }] }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const judge = createOpenAiJudge({
        baseUrl: `http://127.0.0.1:${port}/v1/`,
        model: 'judge-x',
        apiKey: 'k',
      });
      const verdict = await judge.grade({
        question: '订单到哪了',
        reply: '您的订单已发货',
        reference: '订单已发货',
      });
      expect(verdict).toEqual({ pass: true, reason: 'ok' });
      expect(seen.auth).toBe('Bearer k');
      expect(seen.body?.model).toBe('judge-x');
      expect(seen.body?.messages[0]).toEqual({ role: 'system', content: JUDGE_SYSTEM });
      const down = createOpenAiJudge({ baseUrl: 'http://127.0.0.1:1/v1', model: 'x', timeoutMs: 2000 });
      expect((await down.grade({ question: 'q', reply: 'r', reference: 'x' })).pass).toBe(false);
    } finally {
      server.close();
    }
  });
});
