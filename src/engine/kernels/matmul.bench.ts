/**
 * Benchmark `engine.matmul`: float32 C = A·B throughput (GFLOP/s, 1024³; 256³ with --quick) of the
 * native-openblas and portable-wasm backends, each against raw OpenBLAS `cblas_sgemm` with 2 threads
 * called straight through the addon in the same run (timings interleaved, medians), so the ratio
 * is the cost of kefu's layer. Without the addon only the portable figure is reported, with a note.
 * It does not register itself (src/bench/registry.ts does) nor build the addon.
 */
import { type Benchmark, type Measurement, timeMs } from '../../bench/benchmark.js';
import { createNativeKernels, nativeAddonStatus } from './native.js';
import { portableKernels, startPortableThreads } from './portable.js';

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;

function filled(length: number, seed: number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = Math.sin(i * 0.618 + seed);
  return out;
}

export const matmulBenchmark: Benchmark = {
  id: 'engine.matmul',
  title:
    'float32 matmul GFLOP/s: OpenBLAS addon and portable WebAssembly SIMD kernels vs raw cblas_sgemm (2 threads)',
  async run({ quick, log }) {
    const size = quick ? 256 : 1024;
    const a = filled(size * size, 1);
    const b = filled(size * size, 2);
    const c = new Float32Array(size * size);
    const gflops = (ms: number) => (2 * size ** 3) / ms / 1e6;
    const shape = `${size}³`;
    const { addon, reason } = nativeAddonStatus();

    // Portable WebAssembly: helper threads started, one warm-up, then runs interleaved with raw sgemm.
    const threads = await startPortableThreads();
    const portableRuns = quick ? 9 : 15;
    portableKernels.matmul(c, a, b, size, size, size);
    const portableMs: number[] = [];
    const rawDuringPortable: number[] = [];
    for (let r = 0; r < portableRuns; r++) {
      portableMs.push(await timeMs(() => portableKernels.matmul(c, a, b, size, size, size)));
      if (addon) {
        addon.setThreads(2);
        rawDuringPortable.push(
          await timeMs(() => addon.sgemm(false, false, size, size, size, 1, a, size, b, size, 0, c, size)),
        );
      }
    }
    const portable = gflops(median(portableMs));
    log(`portable-wasm ${shape}: ${portable.toFixed(2)} GFLOP/s`);

    if (!addon) {
      return [
        {
          name: `matmul portable-wasm ${shape}`,
          value: portable,
          unit: 'GFLOP/s',
          higherIsBetter: true,
          notes: `no OpenBLAS addon (${reason}); native and raw not measured. apt-get install libopenblas-dev && npm install`,
        },
      ];
    }

    // Native backend and raw sgemm, interleaved so machine noise hits both alike.
    const native = createNativeKernels(addon, { threads: 2 });
    const runs = quick ? 9 : 15;
    const nativeMs: number[] = [];
    const rawMs: number[] = [];
    const raw = () => addon.sgemm(false, false, size, size, size, 1, a, size, b, size, 0, c, size);
    native.matmul(c, a, b, size, size, size);
    raw();
    for (let r = 0; r < runs; r++) {
      nativeMs.push(await timeMs(() => native.matmul(c, a, b, size, size, size)));
      addon.setThreads(2);
      rawMs.push(await timeMs(raw));
    }
    const nativeValue = gflops(median(nativeMs));
    const rawValue = gflops(median(rawMs));
    const rawPortable = gflops(median(rawDuringPortable));
    log(
      `native-openblas ${shape}: ${nativeValue.toFixed(1)} GFLOP/s, raw sgemm ${rawValue.toFixed(1)} GFLOP/s`,
    );

    const reference = { name: 'raw OpenBLAS cblas_sgemm, 2 threads', value: rawValue };
    const measurements: Measurement[] = [
      {
        name: `matmul native-openblas ${shape}`,
        value: nativeValue,
        unit: 'GFLOP/s',
        higherIsBetter: true,
        reference,
        goal: { value: 0.8 * rawValue, text: '>= 0.8× raw OpenBLAS' },
        notes: `2 OpenBLAS threads, median of ${runs} interleaved runs`,
      },
      {
        name: `matmul portable-wasm ${shape}`,
        value: portable,
        unit: 'GFLOP/s',
        higherIsBetter: true,
        reference: { name: reference.name, value: rawPortable },
        goal: {
          value: 0.2 * rawPortable,
          text: '>= 0.2× raw OpenBLAS',
        },
        notes: `${threads} threads, f32x4 4×8 register tiles, packed panels; median of ${portableRuns} runs interleaved with raw sgemm`,
      },
    ];
    return measurements;
  },
};
