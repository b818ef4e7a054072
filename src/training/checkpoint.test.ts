import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, KefuError } from '../core/errors.js';
import { fullDisk } from '../core/test-helpers/full-disk.js';
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

describe('saveCheckpoint on a full or failing disk', () => {
  const tensors = (fill: number) => [
    { name: 'param/w', shape: [64, 64], data: new Float32Array(64 * 64).fill(fill) },
    { name: 'adam.m/w', shape: [64, 64], data: new Float32Array(64 * 64).fill(fill / 10) },
    { name: 'reference/train/chosen', shape: [3], data: Float64Array.of(-1, -2, fill) },
  ];
  const fails = async (promise: Promise<unknown>): Promise<KefuError> => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KefuError);
    return error as KefuError;
  };
  const expectIntact = async (dir: string, step: number, fill: number) => {
    const back = await loadCheckpoint('latest', dir);
    expect(back.state).toEqual(state(step));
    for (const t of tensors(fill)) expect(back.tensors.get(t.name)!.data).toEqual(t.data);
  };

  for (const [what, disk, code] of [
    ['ENOSPC in the middle of ckpt.bin', { capacity: 20_000 }, 'E_DISK_FULL'],
    ['ENOSPC on state.json', { capacity: encodeTensors(tensors(2)).length + 10 }, 'E_DISK_FULL'],
    ['EDQUOT reported by fsync', { capacity: 100, code: 'EDQUOT', onSync: true }, 'E_DISK_FULL'],
    ['EIO', { capacity: 5_000, code: 'EIO' }, 'E_WRITE'],
  ] as const) {
    it(`keeps the last good checkpoint on ${what}`, async () => {
      const dir = tempDir();
      await saveCheckpoint(dir, state(1), tensors(1));
      const io = fullDisk(disk);
      const error = await fails(saveCheckpoint(dir, state(2), tensors(2), { io }));
      expect(error.code).toBe(code);
      expect(error.exitCode).toBe(3);
      expect(error.message).toContain(join(dir, 'checkpoint-2'));
      expect(error.hint).toMatch(/checkpoint-1 is intact/);
      expect(io.opened.length).toBeGreaterThan(0);
      expect(readdirSync(dir)).toEqual(['checkpoint-1']); // no staging folder left
      expect(await listCheckpoints(dir)).toEqual([1]);
      await expectIntact(dir, 1, 1);
    });
  }

  it('keeps a checkpoint of the same step when its replacement fails', async () => {
    const dir = tempDir();
    await saveCheckpoint(dir, state(3), tensors(3));
    const error = await fails(
      saveCheckpoint(dir, state(3), tensors(4), { io: fullDisk({ capacity: 1000 }) }),
    );
    expect(error.code).toBe('E_DISK_FULL');
    expect(readdirSync(dir)).toEqual(['checkpoint-3']);
    await expectIntact(dir, 3, 3);
  });

  it('says when no checkpoint was saved yet', async () => {
    const dir = tempDir();
    const error = await fails(saveCheckpoint(dir, state(1), tensors(1), { io: fullDisk({ capacity: 0 }) }));
    expect(error.hint).toMatch(/no earlier checkpoint/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('streams ckpt.bin: what is written equals encodeTensors, read back tensor by tensor', async () => {
    const dir = tempDir();
    const path = await saveCheckpoint(dir, state(5), tensors(5));
    expect(new Uint8Array(readFileSync(join(path, 'ckpt.bin')))).toEqual(encodeTensors(tensors(5)));
    await expectIntact(dir, 5, 5);
  });
});
