/**
 * The WebAssembly gemm runtime: a product split across the calling thread and a helper thread is
 * bit-identical to the same product on one thread (each C tile is summed by one thread in the same
 * order), helpers report ready, and the memory grows on demand without losing its contents.
 */
import { describe, expect, it } from 'vitest';
import { MR } from './wasm-gemm-module.js';
import { WasmGemm } from './wasm-threads.js';

describe('WasmGemm', () => {
  it('gives the same bits on two threads as on one', async () => {
    const gemm = new WasmGemm(1);
    expect(await gemm.start()).toBe(2);
    const [panelsM, panelsN, k] = [9, 7, 300]; // two K blocks, uneven row split
    const [aAt, bAt, cAt] = [0, panelsM * MR * k, panelsM * MR * k + panelsN * 8 * k];
    const size = cAt + panelsM * MR * panelsN * 8;
    const memory = gemm.floats(size);
    for (let i = 0; i < cAt; i++) memory[i] = Math.sin(i * 0.37);
    memory.fill(0, cAt, size);
    gemm.run(aAt, bAt, cAt, panelsM, panelsN, k, panelsN * 8, false);
    const single = memory.slice(cAt, size);
    memory.fill(0, cAt, size);
    gemm.run(aAt, bAt, cAt, panelsM, panelsN, k, panelsN * 8, true);
    expect(memory.slice(cAt, size)).toEqual(single);
    expect(single.some((v) => v !== 0)).toBe(true);
  });

  it('grows its memory and keeps what it held', () => {
    const gemm = new WasmGemm(0);
    const small = gemm.floats(10);
    small[3] = 42;
    const large = gemm.floats(5_000_000);
    expect(large.length).toBeGreaterThanOrEqual(5_000_000);
    expect(large[3]).toBe(42);
    expect(gemm.threads()).toBe(1);
  });
});
