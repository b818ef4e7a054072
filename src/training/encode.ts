/**
 * Examples → token ids and labels, and labels → model batches, as LLaMA-Factory does it:
 *   sft: every reply-side turn (assistant, function_call) is labelled, everything else is
 *        IGNORE_INDEX; turns are truncated one by one against what is left of cutoff_len with
 *        LLaMA-Factory's `infer_seqlen` (keeps the beginning of each part, shares the budget);
 *   dpo: prompt + chosen and prompt + rejected, only the reply labelled, both cut to the same
 *        source/target split;
 *   pt:  plain text + end token, every token labelled.
 * `collate` pads to the longest sequence and shifts: tokens[t] = inputIds[t], targets[t] =
 * labels[t + 1], so position t predicts the next token; T = longest length − 1.
 * Does not: shuffle, call the model or compute losses.
 */

import { InputError } from '../core/errors.js';
import type { Example } from '../data/example.js';
import { IGNORE_INDEX, type TextTokenizer } from '../engine/contracts.js';
import { type ChatMlTemplate, withInput } from './template.js';

export interface Encoded {
  inputIds: number[];
  labels: number[];
}

export interface EncodedPair {
  chosen: Encoded;
  rejected: Encoded;
}

export interface EncodeOptions {
  cutoffLen: number;
  /** Label prompt tokens too (LLaMA-Factory train_on_prompt). */
  trainOnPrompt?: boolean;
  /** Train on the last reply only, keeping the latest turns when truncating (mask_history). */
  maskHistory?: boolean;
}

/** LLaMA-Factory's infer_seqlen: how much of a source and a target fit in `cutoff`. */
export function inferSeqlen(sourceLen: number, targetLen: number, cutoff: number): [number, number] {
  let maxTarget: number;
  if (targetLen * 2 < cutoff) maxTarget = cutoff;
  else if (sourceLen * 2 < cutoff) maxTarget = cutoff - sourceLen;
  else maxTarget = Math.floor(cutoff * (targetLen / (sourceLen + targetLen)));
  const newTarget = Math.min(maxTarget, targetLen);
  const newSource = Math.min(Math.max(cutoff - newTarget, 0), sourceLen);
  return [newSource, newTarget];
}

const ignore = (n: number): number[] => new Array<number>(n).fill(IGNORE_INDEX);

/** Token ids and labels of an SFT example (its messages end with the reply that trains). */
export function encodeSft(template: ChatMlTemplate, example: Example, options: EncodeOptions): Encoded {
  const messages = withInput(example);
  if (messages.length < 2 || messages.length % 2 !== 0) {
    throw new InputError('an SFT example needs user/assistant pairs ending with an assistant turn', {
      file: example.source ? `${example.source.file}:${example.source.line}` : (example.id ?? 'example'),
      field: 'messages',
    });
  }
  let pairs = template.encodeMultiturn(example, messages);
  if (options.maskHistory) pairs = pairs.reverse();
  let inputIds: number[] = [];
  let labels: number[] = [];
  let total = 0;
  for (const [turn, pair] of pairs.entries()) {
    if (total >= options.cutoffLen) break;
    const [sourceLen, targetLen] = inferSeqlen(
      pair.source.length,
      pair.target.length,
      options.cutoffLen - total,
    );
    const source = pair.source.slice(0, sourceLen);
    const target = pair.target.slice(0, targetLen);
    total += sourceLen + targetLen;
    const sourceLabel = options.trainOnPrompt ? source : ignore(sourceLen);
    const targetLabel = options.maskHistory && turn !== 0 ? ignore(targetLen) : target;
    if (options.maskHistory) {
      inputIds = [...source, ...target, ...inputIds];
      labels = [...sourceLabel, ...targetLabel, ...labels];
    } else {
      inputIds.push(...source, ...target);
      labels.push(...sourceLabel, ...targetLabel);
    }
  }
  return { inputIds, labels };
}

/** Chosen and rejected sequences of a preference example, only the replies labelled. */
export function encodePreference(
  template: ChatMlTemplate,
  example: Example,
  options: EncodeOptions,
): EncodedPair {
  if (example.chosen === undefined || example.rejected === undefined) {
    throw new InputError('a preference example needs chosen and rejected replies', {
      file: example.source ? `${example.source.file}:${example.source.line}` : (example.id ?? 'example'),
      field: 'chosen',
    });
  }
  const enc = template.encodePreference(example, withInput(example), example.chosen, example.rejected);
  const [sourceLen, targetLen] = inferSeqlen(
    enc.prompt.length,
    Math.max(enc.chosen.length, enc.rejected.length),
    options.cutoffLen,
  );
  const prompt = enc.prompt.slice(0, sourceLen);
  const side = (reply: number[]): Encoded => {
    const target = reply.slice(0, targetLen);
    return { inputIds: [...prompt, ...target], labels: [...ignore(prompt.length), ...target] };
  };
  return { chosen: side(enc.chosen), rejected: side(enc.rejected) };
}

/** Plain text of an example for pre-training: its turns (and input) joined by newlines. */
export function pretrainText(example: Example): string {
  return withInput(example)
    .map((m) => m.content)
    .concat(example.kind === 'preference' && example.chosen ? [example.chosen] : [])
    .join('\n');
}

/** Token ids of a pre-training example with `endId` appended, all labelled, cut to cutoffLen. */
export function encodePretrain(
  tokenizer: TextTokenizer,
  example: Example,
  options: EncodeOptions & { endId?: number },
): Encoded {
  const ids = tokenizer.encode(pretrainText(example));
  if (options.endId !== undefined) ids.push(options.endId);
  const inputIds = ids.slice(0, options.cutoffLen);
  return { inputIds, labels: [...inputIds] };
}

export interface Batch {
  /** (B, T) input token ids. */
  tokens: Int32Array;
  /** (B, T) next-token targets; IGNORE_INDEX where nothing is predicted (prompt, padding, last). */
  targets: Int32Array;
  batch: number;
  seqLen: number;
  /** Targets that are not IGNORE_INDEX. */
  kept: number;
  /** Real (unpadded) tokens in the batch, for throughput. */
  realTokens: number;
}

/** Pad to the longest sequence and shift labels left by one: targets[b, t] = labels[b][t + 1]. */
export function collate(sequences: readonly Encoded[], padId: number): Batch {
  const longest = sequences.reduce((m, s) => Math.max(m, s.inputIds.length), 0);
  const seqLen = Math.max(1, longest - 1);
  const batch = sequences.length;
  const tokens = new Int32Array(batch * seqLen).fill(padId);
  const targets = new Int32Array(batch * seqLen).fill(IGNORE_INDEX);
  let kept = 0;
  let realTokens = 0;
  for (const [b, seq] of sequences.entries()) {
    realTokens += seq.inputIds.length;
    for (let t = 0; t < seqLen && t < seq.inputIds.length; t++) {
      tokens[b * seqLen + t] = seq.inputIds[t]!;
      const label = t + 1 < seq.labels.length ? seq.labels[t + 1]! : IGNORE_INDEX;
      targets[b * seqLen + t] = label;
      if (label !== IGNORE_INDEX) kept++;
    }
  }
  return { tokens, targets, batch, seqLen, kept, realTokens };
}

/** Default ids of a tokenizer: padding and the pre-training end token. */
export function specialIds(tokenizer: TextTokenizer): { padId: number; endId: number | undefined } {
  const eos =
    tokenizer.tokenId('<|endoftext|>') ?? tokenizer.tokenId('<|im_end|>') ?? tokenizer.tokenId('</s>');
  return { padId: tokenizer.tokenId('<|endoftext|>') ?? tokenizer.tokenId('<pad>') ?? 0, endId: eos };
}
