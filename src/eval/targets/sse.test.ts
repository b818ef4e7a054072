import { describe, expect, it } from 'vitest';
import { readSse } from './sse.js';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(encoder.encode(c));
      controller.close();
    },
  });
}

describe('readSse', () => {
  it('yields frames split across chunks, with event names, comments and multi-line data', async () => {
    const frames = [];
    for await (const f of readSse(
      streamOf([
        ': keep-alive\n\nevent: text-de',
        'lta\ndata: {"text":"您好"}\n\n',
        'data: a\ndata: b\r\n\r\ndata: [DONE]',
      ]),
    ))
      frames.push(f);
    expect(frames).toEqual([
      { event: 'text-delta', data: '{"text":"您好"}' },
      { event: 'message', data: 'a\nb' },
      { event: 'message', data: '[DONE]' },
    ]);
  });
});
