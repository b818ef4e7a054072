/**
 * Benchmark `training.step`: end-to-end training throughput (tokens/s) of one optimizer step on
 * the quickstart shape (qwen2, V=4000, C=256, L=4, NH=8, KV=2, I=704, B=4, T=256) through the real
 * pieces: Transformer.forward + backward, clipGradNorm and AdamW.step from ./optim.ts, for
 * (a) LoRA r=8 SFT on every linear and (b) full pre-training. The reference is the matmul FLOP
 * budget: forward+backward FLOPs per token (trainingFlopsPerToken) run at the raw OpenBLAS
 * cblas_sgemm speed measured in the same run through the addon on the model's own MLP shape
 * (N·C × C·I), i.e. the tokens/s a perfect implementation bound only by sgemm would reach.
 * Both backends run when the addon is built (the portable one against the same budget); without
 * it only the portable kernels run and no reference is given. It does not register
 * itself (src/bench/registry.ts does).
 */
import { type Benchmark, type Measurement, timeMs } from '../bench/benchmark.js';
import type { ModelConfig } from '../engine/contracts.js';
import { getKernels, loadNativeAddon } from '../engine/kernels/index.js';
import { headDim } from '../engine/model/params.js';
import { Rng } from '../engine/model/rng.js';
import { Transformer } from '../engine/model/transformer.js';
import { AdamW, clipGradNorm } from './optim.js';

/** The model shape kefu's quickstart trains. */
export const QUICKSTART_CONFIG: ModelConfig = {
  architecture: 'qwen2',
  vocab_size: 4000,
  hidden_size: 256,
  intermediate_size: 704,
  num_hidden_layers: 4,
  num_attention_heads: 8,
  num_key_value_heads: 2,
  max_position_embeddings: 1024,
  rms_norm_eps: 1e-6,
  rope_theta: 1_000_000,
  tie_word_embeddings: true,
  attention_bias: true,
};

export type TrainMode = 'lora' | 'full';
const RANK = 8;

/**
 * Matmul FLOPs per trained token of forward + backward (causal attention counted as the half
 * square, T/2 keys on average). Full: backward = dX + dW = 2× forward. LoRA (every linear, rank r,
 * frozen base): backward = dX only (1× forward) plus the adapters' A/B products.
 */
export function trainingFlopsPerToken(cfg: ModelConfig, T: number, mode: TrainMode, rank = RANK): number {
  const C = cfg.hidden_size;
  const I = cfg.intermediate_size;
  const QC = cfg.num_attention_heads * headDim(cfg);
  const KC = cfg.num_key_value_heads * headDim(cfg);
  const L = cfg.num_hidden_layers;
  const shapes: [number, number][] = [
    [C, QC],
    [C, KC],
    [C, KC],
    [QC, C],
    [C, I],
    [C, I],
    [I, C],
  ]; // (in, out) of q, k, v, o, gate, up, down
  let linear = 0;
  let lora = 0;
  for (const [inF, outF] of shapes) {
    linear += 2 * inF * outF;
    lora += 2 * rank * (inF + outF);
  }
  const attention = 2 * 2 * (T / 2) * QC; // QKᵀ and P·V per token, causal
  const forward = L * (linear + attention) + 2 * C * cfg.vocab_size;
  if (mode === 'full') return 3 * forward;
  // forward + dX (same as forward) + LoRA: forward 1×, backward 2× (dA/dB and dX through A, B)
  return 2 * forward + 3 * L * lora;
}

export interface StepRunner {
  model: Transformer;
  /** One optimizer step on B·T tokens. */
  step(): void;
}

/** A seeded model and batch ready to train in `mode`, on `kernels` (native when available by default). */
export function makeStepRunner(
  mode: TrainMode,
  B: number,
  T: number,
  config = QUICKSTART_CONFIG,
  kernels = getKernels('auto'),
): StepRunner {
  const model = Transformer.random(config, 1, { kernels });
  if (mode === 'lora') {
    model.addLora({ rank: RANK, alpha: 2 * RANK, dropout: 0, targets: ['all'] }, 2);
    model.setTrainable('lora');
  } else model.setTrainable('all');
  const rng = new Rng(3);
  const V = config.vocab_size;
  const N = B * T;
  const tokens = Int32Array.from({ length: N }, () => Math.floor(rng.next() * V));
  const targets = Int32Array.from({ length: N }, (_, i) => (i % T === T - 1 ? -100 : tokens[i + 1]!));
  const dLogprobs = new Float32Array(N);
  const optimizer = new AdamW({ beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 });
  const params = model.trainableParameters();
  return {
    model,
    step() {
      model.zeroGrad();
      model.forward(tokens, targets, B, T);
      let kept = 0;
      for (let i = 0; i < N; i++) if (targets[i] !== -100) kept++;
      for (let i = 0; i < N; i++) dLogprobs[i] = targets[i] === -100 ? 0 : -1 / kept;
      model.backward(dLogprobs);
      clipGradNorm(params, 1);
      optimizer.step(params, 1e-4);
    },
  };
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;

export const trainingBenchmark: Benchmark = {
  id: 'training.step',
  title:
    'training tokens/s (LoRA r=8 SFT and full pre-training, qwen2 V=4000 C=256 L=4, B=4 T=256) vs the matmul FLOP budget at raw cblas_sgemm speed',
  async run({ quick, log }) {
    const B = 4;
    const T = 256;
    const N = B * T;
    const cfg = QUICKSTART_CONFIG;
    const steps = quick ? 2 : 6;
    const addon = loadNativeAddon();
    // Raw sgemm on the model's MLP shape: (N, C) · (C, I).
    const a = new Float32Array(N * cfg.hidden_size).fill(0.5);
    const b = new Float32Array(cfg.hidden_size * cfg.intermediate_size).fill(0.25);
    const c = new Float32Array(N * cfg.intermediate_size);
    const sgemm = () => {
      if (!addon) return;
      addon.setThreads(2);
      const [C, I] = [cfg.hidden_size, cfg.intermediate_size];
      for (let r = 0; r < 10; r++) addon.sgemm(false, false, N, I, C, 1, a, C, b, I, 0, c, I);
    };
    const sgemmGflops = (ms: number) => (10 * 2 * N * cfg.hidden_size * cfg.intermediate_size) / ms / 1e6;
    const out: Measurement[] = [];
    // The auto backend, and the portable one beside it when auto is OpenBLAS.
    const backends = addon ? [getKernels('auto'), getKernels('portable')] : [getKernels('auto')];
    for (const [mode, kernels] of backends.flatMap((k) =>
      (['lora', 'full'] as const).map((m) => [m, k] as const),
    )) {
      const runner = makeStepRunner(mode, B, T, cfg, kernels);
      runner.step(); // warm-up
      sgemm();
      const stepMs: number[] = [];
      const rawMs: number[] = [];
      for (let s = 0; s < steps; s++) {
        stepMs.push(await timeMs(() => runner.step()));
        if (addon) rawMs.push(await timeMs(sgemm));
      }
      const ms = median(stepMs);
      const tokensPerSec = (N / ms) * 1000;
      const flops = trainingFlopsPerToken(cfg, T, mode);
      const achieved = (tokensPerSec * flops) / 1e9;
      const label = mode === 'lora' ? 'LoRA r=8 SFT step' : 'full pre-training step';
      log(
        `${label} (${kernels.name}): ${ms.toFixed(1)} ms/step, ${tokensPerSec.toFixed(0)} tokens/s, ${achieved.toFixed(1)} GFLOP/s`,
      );
      const m: Measurement = {
        name: `training ${label} (${runner.model.kernels.name})`,
        value: tokensPerSec,
        unit: 'tokens/s',
        higherIsBetter: true,
        notes: `${ms.toFixed(1)} ms/step (median of ${steps}), ${(flops / 1e6).toFixed(1)} MFLOP/token, ${achieved.toFixed(1)} GFLOP/s achieved`,
      };
      if (addon) {
        const raw = sgemmGflops(median(rawMs));
        m.reference = {
          name: 'matmul FLOP budget at raw cblas_sgemm (2 threads)',
          value: (raw * 1e9) / flops,
        };
        m.notes += ` = ${((100 * achieved) / raw).toFixed(0)}% of raw sgemm ${raw.toFixed(1)} GFLOP/s`;
      } else m.notes += '; no OpenBLAS addon, portable kernels, no reference';
      out.push(m);
    }
    return out;
  },
};
