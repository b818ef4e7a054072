/**
 * Runs the WebAssembly SIMD `gemm` (wasm-gemm-module.ts) on every core: one shared
 * WebAssembly.Memory holds the packed operands, the calling thread works on the first share of A's
 * row panels and helper worker threads (one per further core, at most 3) on the rest, woken and
 * awaited with Atomics on a shared control block, so `matmul` stays synchronous.
 *
 * Helpers start in the background at the first large product; until one reports ready (and after
 * one fails) the calling thread does all the work, so results never depend on the helpers. Helper
 * threads are unref'd: they never keep a process alive. It does not pack operands (portable.ts does).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { gemmModuleBytes } from './wasm-gemm-module.js';

const PAGE = 65536;
/** Control block slots (Int32): go flag, done flag, error flag, ready flag, then the 8 gemm arguments. */
const GO = 0;
const DONE = 1;
const FAILED = 2;
const READY = 3;
const ARGS = 4;
const SLOTS = ARGS + 8;

/** The helper's whole program (CommonJS, run with `eval`): wait for GO, run gemm, raise DONE. */
const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const ctl = new Int32Array(workerData.control);
const gemm = new WebAssembly.Instance(workerData.module, { env: { memory: workerData.memory } }).exports.gemm;
Atomics.store(ctl, ${READY}, 1);
for (;;) {
  Atomics.wait(ctl, ${GO}, 0);
  if (Atomics.exchange(ctl, ${GO}, 0) === 0) continue;
  try {
    gemm(${Array.from({ length: 8 }, (_, i) => `ctl[${ARGS + i}]`).join(', ')});
  } catch {
    Atomics.store(ctl, ${FAILED}, 1);
  }
  Atomics.store(ctl, ${DONE}, 1);
  Atomics.notify(ctl, ${DONE});
}
`;

/** The slice of the WebAssembly JS API used here (tsconfig's ES lib does not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Memory: new (descriptor: {
    initial: number;
    maximum: number;
    shared: true;
  }) => {
    readonly buffer: SharedArrayBuffer;
    grow(pages: number): number;
  };
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const { WebAssembly } = globalThis as unknown as { WebAssembly: WasmApi };

type GemmFunction = (
  a: number,
  b: number,
  c: number,
  t0: number,
  t1: number,
  panelsN: number,
  k: number,
  ldc: number,
) => void;

interface Helper {
  control: Int32Array;
  usable: boolean;
}

export class WasmGemm {
  private readonly module = new WebAssembly.Module(gemmModuleBytes());
  private readonly memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
  private readonly gemm = new WebAssembly.Instance(this.module, { env: { memory: this.memory } }).exports
    .gemm as GemmFunction;
  private view = new Float32Array(this.memory.buffer);
  private helpers: Helper[] | undefined;

  constructor(private readonly helperCount = Math.min(availableParallelism(), 4) - 1) {}

  /** A float32 view of the shared memory with at least `floats` elements (grows the memory). */
  floats(floats: number): Float32Array {
    const bytes = floats * 4;
    if (this.memory.buffer.byteLength < bytes) {
      this.memory.grow(Math.ceil((bytes - this.memory.buffer.byteLength) / PAGE));
    }
    if (this.view.buffer.byteLength !== this.memory.buffer.byteLength)
      this.view = new Float32Array(this.memory.buffer);
    return this.view;
  }

  /**
   * C += A panels 0..panelsM-1 × B panels (float offsets into `floats()`); split across threads
   * when `parallel` and helpers are ready.
   */
  run(
    a: number,
    b: number,
    c: number,
    panelsM: number,
    panelsN: number,
    k: number,
    ldc: number,
    parallel: boolean,
  ): void {
    const ready = parallel ? this.readyHelpers() : [];
    const shares = Math.min(ready.length + 1, panelsM);
    const bounds = Array.from({ length: shares + 1 }, (_, i) => Math.round((i * panelsM) / shares));
    const args = [a * 4, b * 4, c * 4] as const;
    for (let h = 1; h < shares; h++) {
      const control = ready[h - 1]!.control;
      control.set([...args, bounds[h]!, bounds[h + 1]!, panelsN, k, ldc], ARGS);
      Atomics.store(control, DONE, 0);
      Atomics.store(control, GO, 1);
      Atomics.notify(control, GO);
    }
    this.gemm(...args, 0, bounds[1]!, panelsN, k, ldc);
    for (let h = 1; h < shares; h++) {
      const helper = ready[h - 1]!;
      while (Atomics.load(helper.control, DONE) === 0) Atomics.wait(helper.control, DONE, 0, 1000);
      if (Atomics.load(helper.control, FAILED) !== 0) {
        helper.usable = false; // redo its share here; never use it again
        this.gemm(...args, bounds[h]!, bounds[h + 1]!, panelsN, k, ldc);
      }
    }
  }

  /** Threads a large product runs on now: the caller plus the helpers that are ready. */
  threads(): number {
    return 1 + (this.helpers ? this.readyHelpers().length : 0);
  }

  /** Starts the helpers (if not yet) and resolves once all have started or `timeoutMs` passed. */
  async start(timeoutMs = 5000): Promise<number> {
    const until = Date.now() + timeoutMs;
    this.readyHelpers();
    while (this.threads() < 1 + this.helpers!.filter((h) => h.usable).length && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.threads();
  }

  private readyHelpers(): Helper[] {
    if (!this.helpers) this.helpers = this.startHelpers();
    return this.helpers.filter((h) => h.usable && Atomics.load(h.control, READY) === 1);
  }

  private startHelpers(): Helper[] {
    const helpers: Helper[] = [];
    for (let i = 0; i < this.helperCount; i++) {
      const control = new Int32Array(new SharedArrayBuffer(SLOTS * 4));
      try {
        const worker = new Worker(HELPER_SOURCE, {
          eval: true,
          workerData: { module: this.module, memory: this.memory, control: control.buffer },
        });
        worker.unref();
        const helper = { control, usable: true };
        worker.on('error', () => {
          helper.usable = false;
        });
        helpers.push(helper);
      } catch {
        // No worker threads here (a restricted runtime): the calling thread does the work.
      }
    }
    return helpers;
  }
}
