/**
 * Reading a server-sent-events body from fetch: yields `{ event, data }` per frame as bytes
 * arrive (so the caller can time the first token), joining multi-line `data:` fields and skipping
 * comments. Does not parse the data (OpenAI chunks, kefu events and `[DONE]` differ).
 */

export interface SseFrame {
  event: string;
  data: string;
}

export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseFrame> {
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = body.getReader();
  const frame = (block: string): SseFrame | undefined => {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (!line || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    return data.length ? { event, data: data.join('\n') } : undefined;
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.search(/\r?\n\r?\n/);
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(buffer[end] === '\r' ? end + 4 : end + 2);
        const f = frame(block);
        if (f) yield f;
        end = buffer.search(/\r?\n\r?\n/);
      }
    }
    const last = frame(buffer + decoder.decode());
    if (last) yield last;
  } finally {
    reader.releaseLock();
  }
}
