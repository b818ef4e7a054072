/**
 * Attaching LoRA adapters to a model's linears (PEFT semantics and init: A kaiming-uniform
 * = uniform(±1/√in), B zeros, scale = alpha/rank) and merging them back (W += scale·B·A).
 * Names: "<module>.lora_A.weight" (r, in) and "<module>.lora_B.weight" (out, r); the exporter maps
 * them to PEFT's "base_model.model.…" names. The LoRA math itself is in ./linear-module.ts.
 */
import { ConfigError } from '../../core/errors.js';
import type { Kernels, LoraConfig } from '../contracts.js';
import { LINEAR_NAMES, type LinearName, linearOf, type ModelParams } from './params.js';
import { Rng } from './rng.js';

/** The target module names a LoraConfig selects ("all" = every linear). Throws on unknown names. */
export function loraTargets(config: LoraConfig): LinearName[] {
  if (config.targets.includes('all')) return [...LINEAR_NAMES];
  for (const t of config.targets) {
    if (!(LINEAR_NAMES as readonly string[]).includes(t)) {
      throw new ConfigError(`unknown LoRA target "${t}"`, undefined, {
        hint: `use ${LINEAR_NAMES.join(', ')} or all`,
      });
    }
  }
  return LINEAR_NAMES.filter((n) => config.targets.includes(n));
}

export function addLoraAdapters(params: ModelParams, config: LoraConfig, seed: number): void {
  const { rank, alpha, dropout } = config;
  if (!(Number.isInteger(rank) && rank > 0))
    throw new ConfigError(`LoRA rank must be a positive integer, got ${rank}`);
  if (!(dropout >= 0 && dropout < 1)) throw new ConfigError(`LoRA dropout must be in [0, 1), got ${dropout}`);
  const targets = loraTargets(config);
  const rng = new Rng(seed);
  for (const layer of params.layers) {
    for (const name of targets) {
      const m = linearOf(layer, name);
      if (m.lora)
        throw new ConfigError(`${m.name} already has a LoRA adapter`, undefined, {
          hint: 'mergeLora() first',
        });
      const bound = 1 / Math.sqrt(m.inFeatures);
      const A = new Float32Array(rank * m.inFeatures); // (r, in)
      rng.fillUniform(A, -bound, bound);
      m.lora = {
        A: { name: `${m.name}.lora_A.weight`, shape: [rank, m.inFeatures], data: A },
        B: {
          name: `${m.name}.lora_B.weight`,
          shape: [m.outFeatures, rank],
          data: new Float32Array(m.outFeatures * rank),
        },
        rank,
        scale: alpha / rank,
        dropout,
        mask: new Uint8Array(0),
        xd: new Float32Array(0),
        u: new Float32Array(0),
        uInfer: new Float32Array(0),
        du: new Float32Array(0),
        dxd: new Float32Array(0),
        dropped: false,
      };
    }
  }
}

/** W (out, in) += scale · B (out, r) · A (r, in) for every adapter; then drops the adapters. */
export function mergeLoraAdapters(params: ModelParams, kernels: Kernels): void {
  for (const layer of params.layers) {
    for (const name of LINEAR_NAMES) {
      const m = linearOf(layer, name);
      const a = m.lora;
      if (!a) continue;
      const Bs = new Float32Array(a.B.data.length);
      for (let i = 0; i < Bs.length; i++) Bs[i] = a.B.data[i]! * a.scale;
      kernels.matmul(m.weight.data, Bs, a.A.data, m.outFeatures, a.rank, m.inFeatures, { accumulate: true });
      m.lora = null;
    }
  }
}
