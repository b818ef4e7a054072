import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import {
  decodeTensors,
  encodeTensors,
  listCheckpoints,
  loadCheckpoint,
  saveCheckpoint,
} from './checkpoint.js';
import { HASHES, tempDir } from './test-helpers/toy-data.js';

const state = (step: number) => ({
  format: 'kefu-checkpoint' as const,
  version: 1,
  step,
  totalSteps: 10,
  optimizerStep: step,
  rng: { seed: 42, epoch: 0, state: 123 },
  trainer: {},
  recipe: {},
  hashes: HASHES,
});

describe('ckpt.bin', () => {
  it('round-trips float32 and float64 tensors exactly', () => {
    const a = Float32Array.of(1.5, -2.25, Math.PI);
    const b = Float64Array.of(Math.E, -1e-300);
    const bytes = encodeTensors([
      { name: 'a', shape: [3], data: a },
      { name: 'b', shape: [1, 2], data: b },
    ]);
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('KEFUCKPT');
    const back = decodeTensors(bytes);
    expect(back.get('a')!.data).toEqual(a);
    expect(back.get('b')!.data).toEqual(b);
    expect(back.get('b')!.shape).toEqual([1, 2]);
  });

  it('rejects truncated files and bad magic', () => {
    const bytes = encodeTensors([{ name: 'a', shape: [4], data: new Float32Array(4) }]);
    expect(() => decodeTensors(bytes.subarray(0, bytes.length - 4))).toThrow(/truncated/);
    const bad = bytes.slice();
    bad[0] = 0;
    expect(() => decodeTensors(bad)).toThrow(InputError);
  });
});

describe('saveCheckpoint', () => {
  it('writes complete folders only and lists them in step order', async () => {
    const dir = tempDir();
    await saveCheckpoint(dir, state(2), [{ name: 'w', shape: [1], data: Float32Array.of(1) }]);
    await saveCheckpoint(dir, state(10), [{ name: 'w', shape: [1], data: Float32Array.of(2) }]);
    await saveCheckpoint(dir, state(2), [{ name: 'w', shape: [1], data: Float32Array.of(3) }]); // replaces
    expect(await listCheckpoints(dir)).toEqual([2, 10]);
    expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
    const latest = await loadCheckpoint('latest', dir);
    expect(latest.state.step).toBe(10);
    expect((await loadCheckpoint(join(dir, 'checkpoint-2'))).tensors.get('w')!.data[0]).toBe(3);
  });

  it('refuses a damaged checkpoint with a clear error', async () => {
    const dir = tempDir();
    const path = await saveCheckpoint(dir, state(1), [
      { name: 'w', shape: [2], data: Float32Array.of(1, 2) },
    ]);
    const bin = join(path, 'ckpt.bin');
    writeFileSync(bin, readFileSync(bin).subarray(0, 20));
    await expect(loadCheckpoint(path)).rejects.toThrow(/not a usable checkpoint/);
    await expect(loadCheckpoint('latest', tempDir())).rejects.toThrow(/no checkpoint/);
  });
});
