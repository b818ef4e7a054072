/**
 * Conversion between `BpeModel` and the HF tokenizer.json object (the layout of Qwen2 and
 * Llama-3 byte-level BPE files):
 *
 *   { version: "1.0", added_tokens: [{ id, content, special, … }], normalizer: null | { type: "NFC" },
 *     pre_tokenizer: { type: "Sequence", pretokenizers: [
 *       { type: "Split", pattern: { Regex: QWEN2_PATTERN }, behavior: "Isolated", invert: false },
 *       { type: "ByteLevel", add_prefix_space: false, trim_offsets: false, use_regex: false } ] },
 *     decoder: { type: "ByteLevel", … },
 *     model: { type: "BPE", vocab: { "!": 0, … }, merges: ["Ġ t", …] or [["Ġ", "t"], …] } }
 *
 * Reading accepts what that family uses (Split / ByteLevel pre-tokenizers, NFC-style normalizers,
 * merges as strings or pairs, `ignore_merges`) and throws `TokenizerJsonError` naming the field for
 * anything else. Does no I/O (hf-files.ts does) and ignores post_processor (kefu adds BOS itself).
 */
import type { BpeModel, NormalizerName } from './model.js';
import { GPT2_PATTERN } from './pretokenize.js';

/** A tokenizer.json that kefu cannot use; `field` is a path like "model.merges[12]". */
export class TokenizerJsonError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const BYTE_LEVEL = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false };

/** The tokenizer.json object for a model (pretty-printing is the caller's business). */
export function toTokenizerJson(model: Readonly<BpeModel>): Record<string, unknown> {
  const vocab: Record<string, number> = {};
  for (const [token, id] of [...model.vocab].sort((a, b) => a[1] - b[1])) vocab[token] = id;
  const splits = model.patterns.map((p) => ({
    type: 'Split',
    pattern: { Regex: p },
    behavior: 'Isolated',
    invert: false,
  }));
  const byteLevel = { ...BYTE_LEVEL, add_prefix_space: model.addPrefixSpace ?? false };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [...model.addedTokens]
      .sort((a, b) => a.id - b.id)
      .map((t) => ({
        id: t.id,
        content: t.content,
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: t.special,
      })),
    normalizer: model.normalizer ? { type: model.normalizer } : null,
    pre_tokenizer: { type: 'Sequence', pretokenizers: [...splits, byteLevel] },
    post_processor: BYTE_LEVEL,
    decoder: BYTE_LEVEL,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: model.ignoreMerges ?? false,
      vocab,
      merges: model.merges.map(([a, b]) => `${a} ${b}`),
    },
  };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(field: string, message: string): never {
  throw new TokenizerJsonError(field, message);
}

function parseNormalizer(value: unknown, field: string): NormalizerName | undefined {
  if (value === null || value === undefined) return undefined;
  if (!isObject(value)) fail(field, 'expected an object or null');
  const type = value.type;
  if (type === 'NFC' || type === 'NFKC' || type === 'NFD' || type === 'NFKD') return type;
  if (type === 'Sequence' && Array.isArray(value.normalizers)) {
    const parts = value.normalizers.map((n, i) => parseNormalizer(n, `${field}.normalizers[${i}]`));
    const kept = parts.filter((p) => p !== undefined);
    if (kept.length > 1) fail(field, 'more than one Unicode normalisation is not supported');
    return kept[0];
  }
  return fail(`${field}.type`, `normalizer ${JSON.stringify(type)} is not supported (NFC, NFKC, NFD, NFKD)`);
}

interface PreTokenizerSettings {
  patterns: string[];
  addPrefixSpace: boolean;
  byteLevel: boolean;
}

function parsePreTokenizer(value: unknown, field: string, into: PreTokenizerSettings): void {
  if (!isObject(value)) fail(field, 'expected an object (byte-level BPE needs a ByteLevel pre-tokenizer)');
  if (into.byteLevel) fail(field, 'steps after the ByteLevel pre-tokenizer are not supported');
  switch (value.type) {
    case 'Sequence': {
      if (!Array.isArray(value.pretokenizers)) fail(`${field}.pretokenizers`, 'expected an array');
      for (const [i, p] of value.pretokenizers.entries())
        parsePreTokenizer(p, `${field}.pretokenizers[${i}]`, into);
      return;
    }
    case 'Split': {
      if (value.behavior !== 'Isolated' || value.invert === true)
        fail(`${field}.behavior`, 'only behavior "Isolated" without invert is supported');
      const pattern = value.pattern;
      if (isObject(pattern) && typeof pattern.Regex === 'string') into.patterns.push(pattern.Regex);
      else if (isObject(pattern) && typeof pattern.String === 'string')
        into.patterns.push(pattern.String.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
      else fail(`${field}.pattern`, 'expected { "Regex": string } or { "String": string }');
      return;
    }
    case 'ByteLevel': {
      if (value.use_regex ?? true) into.patterns.push(GPT2_PATTERN);
      into.addPrefixSpace = value.add_prefix_space === true;
      into.byteLevel = true;
      return;
    }
    default:
      fail(
        `${field}.type`,
        `pre-tokenizer ${JSON.stringify(value.type)} is not supported (Split, ByteLevel, Sequence)`,
      );
  }
}

function parseMerge(entry: unknown, field: string): [string, string] {
  if (typeof entry === 'string') {
    const space = entry.indexOf(' ');
    if (space <= 0 || space === entry.length - 1 || entry.indexOf(' ', space + 1) >= 0)
      fail(field, `expected "left right", got ${JSON.stringify(entry)}`);
    return [entry.slice(0, space), entry.slice(space + 1)];
  }
  if (
    Array.isArray(entry) &&
    entry.length === 2 &&
    typeof entry[0] === 'string' &&
    typeof entry[1] === 'string'
  )
    return [entry[0], entry[1]];
  return fail(field, `expected "left right" or ["left", "right"], got ${JSON.stringify(entry)}`);
}

/** tokenizer.json object → model; throws TokenizerJsonError naming the field at fault. */
export function fromTokenizerJson(json: unknown): BpeModel {
  if (!isObject(json)) fail('(root)', 'expected a JSON object');
  const model = json.model;
  if (!isObject(model)) fail('model', 'expected an object');
  if (model.type !== undefined && model.type !== 'BPE')
    fail('model.type', `expected "BPE", got ${JSON.stringify(model.type)}`);
  if (model.byte_fallback === true)
    fail('model.byte_fallback', 'byte-fallback (SentencePiece-style) BPE is not supported');
  for (const key of ['continuing_subword_prefix', 'end_of_word_suffix'] as const)
    if (typeof model[key] === 'string' && model[key] !== '')
      fail(`model.${key}`, 'must be empty for byte-level BPE');
  if (!isObject(model.vocab)) fail('model.vocab', 'expected an object of token → id');
  const vocab = new Map<string, number>();
  for (const [token, id] of Object.entries(model.vocab)) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0)
      fail(
        `model.vocab[${JSON.stringify(token)}]`,
        `expected a non-negative integer id, got ${JSON.stringify(id)}`,
      );
    vocab.set(token, id);
  }
  if (!Array.isArray(model.merges)) fail('model.merges', 'expected an array');
  const merges = model.merges.map((m, i) => parseMerge(m, `model.merges[${i}]`));
  const addedRaw = json.added_tokens ?? [];
  if (!Array.isArray(addedRaw)) fail('added_tokens', 'expected an array');
  const addedTokens = addedRaw.map((t, i) => {
    if (!isObject(t)) fail(`added_tokens[${i}]`, 'expected an object');
    if (typeof t.id !== 'number' || !Number.isInteger(t.id) || t.id < 0)
      fail(`added_tokens[${i}].id`, `expected a non-negative integer, got ${JSON.stringify(t.id)}`);
    if (typeof t.content !== 'string' || t.content === '')
      fail(`added_tokens[${i}].content`, 'expected a non-empty string');
    return { id: t.id, content: t.content, special: t.special === true };
  });
  const pre: PreTokenizerSettings = { patterns: [], addPrefixSpace: false, byteLevel: false };
  parsePreTokenizer(json.pre_tokenizer, 'pre_tokenizer', pre);
  if (!pre.byteLevel) fail('pre_tokenizer', 'has no ByteLevel step: not a byte-level BPE tokenizer');
  const decoder = json.decoder;
  if (decoder !== null && decoder !== undefined && !(isObject(decoder) && decoder.type === 'ByteLevel'))
    fail(
      'decoder.type',
      `expected "ByteLevel", got ${JSON.stringify(isObject(decoder) ? decoder.type : decoder)}`,
    );
  return {
    vocab,
    merges,
    addedTokens,
    patterns: pre.patterns,
    normalizer: parseNormalizer(json.normalizer, 'normalizer'),
    addPrefixSpace: pre.addPrefixSpace,
    ignoreMerges: model.ignore_merges === true,
  };
}
