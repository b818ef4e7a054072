/**
 * Setting a run up: encoding the examples for the recipe's stage, and turning a checkpoint back
 * into model parameters, optimizer moments, cached DPO reference log-probs and trainer
 * bookkeeping — refusing checkpoints of another data set, tokenizer, base model or data order.
 * Does not: run steps (./trainer.ts does).
 */

import { InputError } from '../core/errors.js';
import type { Example } from '../data/example.js';
import type { Parameter, TextTokenizer } from '../engine/contracts.js';
import { type Checkpoint, checkHashes, type NamedTensor, type RunHashes } from './checkpoint.js';
import { encodePreference, encodePretrain, encodeSft, specialIds } from './encode.js';
import type { EncodedSet, ReferenceLogps } from './objective.js';
import type { AdamW } from './optim.js';
import type { Recipe } from './recipe.js';
import { ChatMlTemplate } from './template.js';

export function encodeExamples(
  recipe: Recipe,
  tokenizer: TextTokenizer,
  examples: readonly Example[],
): EncodedSet {
  const options = {
    cutoffLen: recipe.cutoff_len,
    trainOnPrompt: recipe.train_on_prompt,
    maskHistory: recipe.mask_history,
  };
  if (recipe.stage === 'pt') {
    const { endId } = specialIds(tokenizer);
    return {
      kind: 'lm',
      items: examples.map((e) =>
        encodePretrain(tokenizer, e, { ...options, ...(endId !== undefined ? { endId } : {}) }),
      ),
    };
  }
  const template = new ChatMlTemplate(tokenizer);
  const want = recipe.stage === 'dpo' ? 'preference' : 'sft';
  const wrong = examples.find((e) => e.kind !== want);
  if (wrong) {
    throw new InputError(
      `stage ${recipe.stage} trains on ${want} examples, but this one is ${wrong.kind}`,
      wrong.source ? { file: wrong.source.file, line: wrong.source.line } : undefined,
      {
        hint:
          recipe.stage === 'dpo'
            ? 'give a preference dataset (prompt, chosen, rejected)'
            : 'give an SFT dataset',
      },
    );
  }
  if (recipe.stage === 'dpo')
    return { kind: 'pair', items: examples.map((e) => encodePreference(template, e, options)) };
  return { kind: 'lm', items: examples.map((e) => encodeSft(template, e, options)) };
}

/** Recipe keys that fix the data order and the meaning of a step; a resume must not change them. */
const FIXED_KEYS = [
  'stage',
  'seed',
  'per_device_train_batch_size',
  'gradient_accumulation_steps',
  'cutoff_len',
  'template',
  'finetuning_type',
  'num_train_epochs',
  'max_steps',
  'train_on_prompt',
  'mask_history',
] as const;

export const paramKey = (name: string) => `param/${name}`;
export const REF_KEYS = {
  chosen: 'reference/train/chosen',
  rejected: 'reference/train/rejected',
  evalChosen: 'reference/eval/chosen',
  evalRejected: 'reference/eval/rejected',
};

/** Everything a checkpoint stores as tensors. */
export function checkpointTensors(
  params: readonly Parameter[],
  optimizer: AdamW,
  reference?: ReferenceLogps,
  evalReference?: ReferenceLogps,
): NamedTensor[] {
  const out: NamedTensor[] = [];
  for (const p of params) {
    out.push({ name: paramKey(p.name), shape: p.shape, data: p.data });
    const m = optimizer.state.m.get(p.name);
    const v = optimizer.state.v.get(p.name);
    if (m && v) {
      out.push(
        { name: `adam.m/${p.name}`, shape: p.shape, data: m },
        { name: `adam.v/${p.name}`, shape: p.shape, data: v },
      );
    }
  }
  const ref = (r: ReferenceLogps | undefined, c: string, j: string) =>
    r
      ? [
          { name: c, shape: [r.chosen.length], data: r.chosen },
          { name: j, shape: [r.rejected.length], data: r.rejected },
        ]
      : [];
  out.push(...ref(reference, REF_KEYS.chosen, REF_KEYS.rejected));
  out.push(...ref(evalReference, REF_KEYS.evalChosen, REF_KEYS.evalRejected));
  return out;
}

export interface Restored {
  reference?: ReferenceLogps;
  evalReference?: ReferenceLogps;
}

/** Load a checkpoint into the model and optimizer after checking it belongs to this run. */
export function restore(
  checkpoint: Checkpoint,
  recipe: Recipe,
  hashes: RunHashes,
  params: readonly Parameter[],
  optimizer: AdamW,
): Restored {
  const { state, tensors, dir } = checkpoint;
  checkHashes(state.hashes, hashes, dir);
  const changed = FIXED_KEYS.filter((k) => JSON.stringify(state.recipe[k]) !== JSON.stringify(recipe[k]));
  if (changed.length > 0) {
    throw new InputError(
      `cannot resume: the recipe changed ${changed.join(', ')} since the checkpoint`,
      { file: dir },
      {
        code: 'E_RESUME_MISMATCH',
        hint: 'resume with the recipe saved in the checkpoint, or start a new run',
      },
    );
  }
  const wanted = new Set(params.map((p) => paramKey(p.name)));
  const saved = [...tensors.keys()].filter((k) => k.startsWith('param/'));
  if (saved.length !== wanted.size || saved.some((k) => !wanted.has(k))) {
    throw new InputError(
      'cannot resume: the checkpoint trains other parameters than this model',
      { file: dir },
      {
        code: 'E_RESUME_MISMATCH',
        hint: 'check lora_rank, lora_target and finetuning_type',
      },
    );
  }
  optimizer.state.step = state.optimizerStep;
  for (const p of params) {
    const t = tensors.get(paramKey(p.name))!;
    if (t.data.length !== p.data.length || t.shape.join('x') !== p.shape.join('x')) {
      throw new InputError(
        `cannot resume: ${p.name} has shape [${t.shape}] in the checkpoint, [${p.shape}] here`,
        {
          file: dir,
        },
      );
    }
    p.data.set(t.data);
    const m = tensors.get(`adam.m/${p.name}`);
    const v = tensors.get(`adam.v/${p.name}`);
    if (m && v) {
      optimizer.state.m.set(p.name, Float32Array.from(m.data));
      optimizer.state.v.set(p.name, Float32Array.from(v.data));
    }
  }
  const ref = (c: string, j: string): ReferenceLogps | undefined => {
    const a = tensors.get(c);
    const b = tensors.get(j);
    return a && b ? { chosen: Float64Array.from(a.data), rejected: Float64Array.from(b.data) } : undefined;
  };
  const out: Restored = {};
  const reference = ref(REF_KEYS.chosen, REF_KEYS.rejected);
  const evalReference = ref(REF_KEYS.evalChosen, REF_KEYS.evalRejected);
  if (reference) out.reference = reference;
  if (evalReference) out.evalReference = evalReference;
  return out;
}
