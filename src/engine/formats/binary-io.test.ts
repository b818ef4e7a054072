import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KefuError } from '../../core/errors.js';
import { fullDisk } from '../../core/test-helpers/full-disk.js';
import { writeChunksAtomic } from './binary-io.js';

describe('writeChunksAtomic', () => {
  const chunks = (n: number, byte: number) =>
    Array.from({ length: n }, () => new Uint8Array(4096).fill(byte));

  it('writes all chunks, replacing the old file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-binary-'));
    const path = join(dir, 'model.gguf');
    await writeChunksAtomic(path, chunks(2, 1));
    await writeChunksAtomic(path, chunks(3, 2));
    expect(readFileSync(path)).toEqual(Buffer.alloc(3 * 4096, 2));
    expect(readdirSync(dir)).toEqual(['model.gguf']);
  });

  for (const [code, expected] of [
    ['ENOSPC', 'E_DISK_FULL'],
    ['EDQUOT', 'E_DISK_FULL'],
    ['EIO', 'E_WRITE'],
  ] as const) {
    it(`leaves the old file and no temp behind on ${code}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kefu-binary-'));
      const path = join(dir, 'model.safetensors');
      await writeChunksAtomic(path, chunks(1, 7));
      const error = await writeChunksAtomic(path, chunks(8, 9), fullDisk({ capacity: 10_000, code })).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(KefuError);
      expect((error as KefuError).code).toBe(expected);
      expect((error as KefuError).message).toContain(path);
      expect((error as KefuError).hint).toBeTruthy();
      expect(readFileSync(path)).toEqual(Buffer.alloc(4096, 7));
      expect(readdirSync(dir)).toEqual(['model.safetensors']);
    });
  }
});
