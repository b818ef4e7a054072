/** Every benchmark `npm run bench` runs, in order. Add new ones here. */
import { assistantBenchmark } from '../assistant/assistant.bench.js';
import { cleanBenchmark } from '../data/clean/clean.bench.js';
import { cleanFilesBenchmark } from '../data/jobs/clean-files.bench.js';
import { inferenceBenchmark } from '../engine/inference.bench.js';
import { matmulBenchmark } from '../engine/kernels/matmul.bench.js';
import { tokenizerBenchmark } from '../engine/tokenizer/tokenizer.bench.js';
import { evalBenchmark } from '../eval/eval.bench.js';
import { knowledgeBenchmark } from '../knowledge/knowledge.bench.js';
import { serverBenchmark } from '../server/server.bench.js';
import { shopImportBenchmark } from '../shop/import/shop-import.bench.js';
import { storageBenchmark } from '../storage/storage.bench.js';
import { trainingBenchmark } from '../training/training.bench.js';
import type { Benchmark } from './benchmark.js';

export const benchmarks: readonly Benchmark[] = [
  storageBenchmark,
  cleanBenchmark,
  cleanFilesBenchmark,
  tokenizerBenchmark,
  matmulBenchmark,
  inferenceBenchmark,
  trainingBenchmark,
  shopImportBenchmark,
  knowledgeBenchmark,
  assistantBenchmark,
  serverBenchmark,
  evalBenchmark,
];
