/**
 * The default Embedder: an LsaModel fitted on the ingested corpus, wrapped in the `Embedder`
 * contract, plus its versioned binary format so the catalogue can keep the model beside the
 * vectors it made. Layout (little-endian): magic "KLSA", format version u32, dimensions u32,
 * buckets u32, fittedOn u32, used-slot count u32, then per used slot its index (u32), its idf
 * (f32) and its projection row (dimensions × f32). The embedder id names the model's content
 * hash, so vectors made by another fit are recognisably stale. Does not decide when to re-fit.
 */
import { createHash } from 'node:crypto';
import type { Embedder } from '../../assistant/contracts.js';
import { InputError } from '../../core/errors.js';
import { embedSparse, type LsaModel } from './lsa-model.js';

const MAGIC = 0x41534c4b; // "KLSA" read as little-endian u32
export const LSA_FORMAT_VERSION = 1;

export function serializeLsa(model: LsaModel): Buffer {
  const used: number[] = [];
  for (let b = 0; b < model.buckets; b++) if (model.idf[b]! > 0) used.push(b);
  const d = model.dimensions;
  const buffer = Buffer.alloc(24 + used.length * (8 + 4 * d));
  buffer.writeUInt32LE(MAGIC, 0);
  buffer.writeUInt32LE(LSA_FORMAT_VERSION, 4);
  buffer.writeUInt32LE(d, 8);
  buffer.writeUInt32LE(model.buckets, 12);
  buffer.writeUInt32LE(model.fittedOn, 16);
  buffer.writeUInt32LE(used.length, 20);
  let at = 24;
  for (const b of used) {
    buffer.writeUInt32LE(b, at);
    buffer.writeFloatLE(model.idf[b]!, at + 4);
    at += 8;
    const row = model.projection.subarray(b * d, (b + 1) * d);
    Buffer.from(row.buffer, row.byteOffset, row.byteLength).copy(buffer, at);
    at += 4 * d;
  }
  return buffer;
}

export function deserializeLsa(bytes: Uint8Array): LsaModel {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < 24 || buffer.readUInt32LE(0) !== MAGIC) {
    throw new InputError('the stored embedding model is not a kefu LSA model', undefined, {
      code: 'E_KB_MODEL',
      hint: 'run `kefu kb ingest` again to re-fit it',
    });
  }
  const version = buffer.readUInt32LE(4);
  if (version !== LSA_FORMAT_VERSION) {
    throw new InputError(
      `the stored LSA model has format ${version}, this kefu reads ${LSA_FORMAT_VERSION}`,
      undefined,
      {
        code: 'E_KB_MODEL',
        hint: 'run `kefu kb ingest` again to re-fit it',
      },
    );
  }
  const dimensions = buffer.readUInt32LE(8);
  const buckets = buffer.readUInt32LE(12);
  const fittedOn = buffer.readUInt32LE(16);
  const usedCount = buffer.readUInt32LE(20);
  const idf = new Float32Array(buckets);
  const projection = new Float32Array(buckets * dimensions);
  let at = 24;
  for (let u = 0; u < usedCount; u++) {
    const b = buffer.readUInt32LE(at);
    idf[b] = buffer.readFloatLE(at + 4);
    at += 8;
    const row = new Float32Array(
      buffer.buffer.slice(buffer.byteOffset + at, buffer.byteOffset + at + 4 * dimensions),
    );
    projection.set(row, b * dimensions);
    at += 4 * dimensions;
  }
  return { dimensions, buckets, idf, projection, fittedOn };
}

/** An Embedder over a fitted LSA model. */
export class LsaEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;

  constructor(
    readonly model: LsaModel,
    serialized: Uint8Array = serializeLsa(model),
  ) {
    this.dimensions = model.dimensions;
    const hash = createHash('sha256').update(serialized).digest('hex').slice(0, 12);
    this.id = `kefu-lsa-v${LSA_FORMAT_VERSION}-${model.dimensions}-${hash}`;
  }

  async embed(texts: readonly string[], options: { signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const text of texts) {
      options.signal?.throwIfAborted();
      out.push(embedSparse(this.model, text));
    }
    return out;
  }
}
