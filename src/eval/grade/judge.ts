/**
 * The optional judge model: any OpenAI-compatible chat endpoint (vLLM, llama.cpp server, Ollama,
 * kefu's own server, a hosted API) is shown the question, the reference answer built from the
 * shop's data and the assistant's reply, and answers whether the reply is correct as JSON
 * {"correct": bool, "reason": "…"}. Rules stay the primary grade; the judge is reported beside
 * them. Uses global fetch; no retries (a failed call is a failed verdict with its reason).
 */
import { RuntimeFailure } from '../../core/errors.js';

export interface JudgeInput {
  question: string;
  reply: string;
  reference: string;
  signal?: AbortSignal | undefined;
}

export interface JudgeVerdict {
  pass: boolean;
  reason: string;
}

export interface Judge {
  readonly model: string;
  grade(input: JudgeInput): Promise<JudgeVerdict>;
}

export interface OpenAiJudgeOptions {
  /** Base URL up to /v1, e.g. http://127.0.0.1:8000/v1. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Milliseconds per call. Defaults to 60000. */
  timeoutMs?: number;
}

export const JUDGE_SYSTEM =
  '你是电商客服质检员。对照参考答案判断客服回复是否正确回答了顾客的问题：关键事实（订单状态、金额、单号、日期、政策数字、商品参数）必须与参考答案一致，不得编造或泄露他人信息；措辞不同不算错。只输出JSON：{"correct": true或false, "reason": "一句话理由"}';

export function judgePrompt(input: JudgeInput): string {
  return `顾客问题：${input.question}\n参考答案：${input.reference}\n客服回复：${input.reply || '（空）'}`;
}

/** Read the verdict from the judge's text: JSON first, then a bare true/false or 正确/错误. */
export function parseVerdict(text: string): JudgeVerdict {
  const json = text.match(/\{[\s\S]*\}/);
  if (json) {
    try {
      const value = JSON.parse(json[0]) as { correct?: unknown; reason?: unknown };
      if (typeof value.correct === 'boolean')
        return { pass: value.correct, reason: String(value.reason ?? '') };
    } catch {
      // fall through to the loose reading
    }
  }
  const loose = text.match(/"?correct"?\s*[:：]\s*(true|false)/i);
  if (loose) return { pass: loose[1]?.toLowerCase() === 'true', reason: text.slice(0, 200) };
  if (/不正确|错误|incorrect/i.test(text)) return { pass: false, reason: text.slice(0, 200) };
  if (/正确|correct/i.test(text)) return { pass: true, reason: text.slice(0, 200) };
  return { pass: false, reason: `unreadable verdict: ${text.slice(0, 120)}` };
}

export function createOpenAiJudge(options: OpenAiJudgeOptions): Judge {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  return {
    model: options.model,
    async grade(input) {
      const timeout = AbortSignal.timeout(options.timeoutMs ?? 60_000);
      const signal = input.signal ? AbortSignal.any([input.signal, timeout]) : timeout;
      try {
        const response = await fetch(url, {
          method: 'POST',
          signal,
          headers: {
            'content-type': 'application/json',
            ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
          },
          body: JSON.stringify({
            model: options.model,
            temperature: 0,
            max_tokens: 200,
            messages: [
              { role: 'system', content: JUDGE_SYSTEM },
              { role: 'user', content: judgePrompt(input) },
            ],
          }),
        });
        if (!response.ok) return { pass: false, reason: `judge HTTP ${response.status}` };
        const body = (await response.json()) as { choices?: { message?: { content?: string } }[] };
        return parseVerdict(body.choices?.[0]?.message?.content ?? '');
      } catch (error) {
        if (input.signal?.aborted)
          throw new RuntimeFailure('judge call aborted', { code: 'E_ABORTED', cause: error });
        return { pass: false, reason: `judge call failed: ${(error as Error).message}` };
      }
    },
  };
}
