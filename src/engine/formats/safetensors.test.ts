import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { floatToHalf, halfToFloat } from './binary-io.js';
import {
  readSafetensors,
  readSafetensorsHeader,
  readShardedSafetensors,
  writeSafetensors,
} from './safetensors.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kefu-st-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const a = { name: 'a.weight', shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 4, 5, -6e-8]) };
const b = { name: 'b', shape: [4], data: Float32Array.from([0.1, 0.2, 0.3, 1e30]) };

/** A safetensors file by hand: header object + raw data bytes. */
function handMade(header: unknown, data: Uint8Array, lengthOverride?: bigint): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, lengthOverride ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

async function expectInputError(path: string, pattern?: RegExp): Promise<InputError> {
  const error = await readSafetensors(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  const inputError = error as InputError;
  expect(inputError.message).toContain(path);
  if (pattern) expect(inputError.message).toMatch(pattern);
  return inputError;
}

describe('safetensors', () => {
  it('round-trips F32 tensors and metadata, 8-byte aligned', async () => {
    const path = join(dir, 'rt.safetensors');
    await writeSafetensors(path, [a, b], { format: 'pt' });
    const { tensors, metadata } = await readSafetensors(path);
    expect(metadata).toEqual({ format: 'pt' });
    expect(tensors.get('a.weight')).toEqual({ shape: [2, 3], data: a.data });
    expect(tensors.get('b')).toEqual({ shape: [4], data: b.data });
    const bytes = await readFile(path);
    expect((8 + Number(bytes.readBigUInt64LE(0))) % 8).toBe(0);
    const header = await readSafetensorsHeader(path);
    expect([...header.tensors.keys()]).toEqual(['a.weight', 'b']);
    const only = await readSafetensors(path, { filter: (n) => n === 'b' });
    expect([...only.tensors.keys()]).toEqual(['b']);
  });

  it('converts F16 and BF16 to float32', async () => {
    const halves = Uint16Array.from([1, -2.5, 65504, 6.1e-5].map(floatToHalf));
    const bf = Uint16Array.from([0x3f80, 0xc020]); // 1, -2.5
    const data = new Uint8Array(12);
    data.set(new Uint8Array(halves.buffer), 0);
    data.set(new Uint8Array(bf.buffer), 8);
    const path = join(dir, 'half.safetensors');
    const header = {
      h: { dtype: 'F16', shape: [4], data_offsets: [0, 8] },
      g: { dtype: 'BF16', shape: [2], data_offsets: [8, 12] },
    };
    await writeFile(path, handMade(header, data));
    const { tensors } = await readSafetensors(path);
    expect([...tensors.get('h')!.data]).toEqual([1, -2.5, 65504, halfToFloat(floatToHalf(6.1e-5))]);
    expect([...tensors.get('g')!.data]).toEqual([1, -2.5]);
  });

  it('half conversion rounds to nearest even and keeps subnormals', () => {
    for (const v of [0, -0, 1, 0.1, 1 / 3, 2 ** -24, 2 ** -20, 65504, 1e-3, -123.456]) {
      const back = halfToFloat(floatToHalf(v));
      expect(Math.abs(back - v)).toBeLessThanOrEqual(Math.max(Math.abs(v) * 2 ** -11, 2 ** -25));
    }
    expect(halfToFloat(floatToHalf(1e6))).toBe(Number.POSITIVE_INFINITY);
  });

  it('gives an InputError for a file cut at any byte', async () => {
    const path = join(dir, 'full.safetensors');
    await writeSafetensors(path, [a, b]);
    const full = await readFile(path);
    const cut = join(dir, 'cut.safetensors');
    const headerEnd = 8 + Number(full.readBigUInt64LE(0));
    for (let length = 0; length < full.length; length++) {
      await writeFile(cut, full.subarray(0, length));
      const error = await expectInputError(cut);
      if (length >= headerEnd) expect(['a.weight', 'b']).toContain(error.location?.field);
      else expect(error.location?.field).toMatch(/header/);
    }
  });

  it.each([
    ['huge header length', handMade({}, new Uint8Array(0), 2n ** 62n), /header length/],
    ['header length past the end', handMade({}, new Uint8Array(0), 1000n), /header length/],
    ['header not JSON', new Uint8Array([4, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0x7b, 0x7d, 0x7d]), /not valid JSON/],
    ['header an array', handMade([], new Uint8Array(0)), /not a JSON object/],
    [
      'unknown dtype',
      handMade({ x: { dtype: 'F128', shape: [1], data_offsets: [0, 16] } }, new Uint8Array(16)),
      /"x".*dtype/,
    ],
    [
      'shape/offset mismatch',
      handMade({ x: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8)),
      /"x".*12 bytes/,
    ],
    [
      'negative shape',
      handMade({ x: { dtype: 'F32', shape: [-1], data_offsets: [0, 0] } }, new Uint8Array(0)),
      /bad shape/,
    ],
    [
      'offsets reversed',
      handMade({ x: { dtype: 'F32', shape: [0], data_offsets: [4, 0] } }, new Uint8Array(4)),
      /data_offsets/,
    ],
    [
      'overlap',
      handMade(
        {
          x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
          y: { dtype: 'F32', shape: [1], data_offsets: [4, 8] },
        },
        new Uint8Array(8),
      ),
      /overlaps/,
    ],
    [
      'integer tensor read',
      handMade({ x: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, new Uint8Array(8)),
      /only F32/,
    ],
  ])('rejects %s', async (_, bytes, pattern) => {
    const path = join(dir, 'bad.safetensors');
    await writeFile(path, bytes);
    await expectInputError(path, pattern);
  });

  it('reads a sharded checkpoint through its index', async () => {
    await writeSafetensors(join(dir, 'model-00001-of-00002.safetensors'), [a]);
    await writeSafetensors(join(dir, 'model-00002-of-00002.safetensors'), [b]);
    const index = join(dir, 'model.safetensors.index.json');
    await writeFile(
      index,
      JSON.stringify({
        metadata: { total_size: 40 },
        weight_map: { 'a.weight': 'model-00001-of-00002.safetensors', b: 'model-00002-of-00002.safetensors' },
      }),
    );
    const tensors = await readShardedSafetensors(index);
    expect(tensors.get('a.weight')!.data).toEqual(a.data);
    expect(tensors.get('b')!.data).toEqual(b.data);
    await writeFile(index, JSON.stringify({ weight_map: { c: 'model-00002-of-00002.safetensors' } }));
    await expect(readShardedSafetensors(index)).rejects.toThrow(/"c" listed in the index is missing/);
    await writeFile(index, JSON.stringify({ weight_map: { c: '../../etc/passwd' } }));
    await expect(readShardedSafetensors(index)).rejects.toBeInstanceOf(InputError);
  });
});
