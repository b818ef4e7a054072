/** Every benchmark `npm run bench` runs, in order. Add new ones here. */
import { storageBenchmark } from '../storage/storage.bench.js';
import type { Benchmark } from './benchmark.js';

export const benchmarks: readonly Benchmark[] = [storageBenchmark];
