/**
 * Tests for hf-json.ts / hf-files.ts: id parity with Tokenizers.js on saved files, hand-written
 * Qwen2-layout files (merges as strings and pairs, added tokens, NFC, ignore_merges), role tokens
 * from tokenizer_config.json, and corrupt files rejected with file + field.
 */

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { BYTE_TO_CHAR } from './byte-level.js';
import { CHATML_TEMPLATE } from './chat-template.js';
import { loadTokenizerJson, saveTokenizerConfig, saveTokenizerJson } from './hf-files.js';
import { QWEN2_PATTERN } from './pretokenize.js';
import { randomText, sampleShopTexts, seededRandom } from './testing.js';
import { trainBpe } from './train.js';

const SPECIALS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'];
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kefu-tok-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A Qwen2-layout tokenizer.json written by hand: GPT-2 byte order, a few merges, added tokens. */
function handWritten(form: 'string' | 'pair', extra: Record<string, unknown> = {}): Record<string, unknown> {
  const vocab: Record<string, number> = {};
  const chars = [...BYTE_TO_CHAR].sort((a, b) => a.charCodeAt(0) - b.charCodeAt(0)); // GPT-2 id order
  chars.forEach((c, i) => {
    vocab[c] = i;
  });
  const merges = ['Ġ t', 'h e', 'Ġt he', 'è ®', 'è® ¢', 'å į', 'åį ķ', 'è®¢ åįķ', 'ï ¼', 'ï¼ Į'];
  for (const m of merges) vocab[m.replace(' ', '')] = Object.keys(vocab).length;
  const n = Object.keys(vocab).length;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      {
        id: n,
        content: '<|endoftext|>',
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: true,
      },
      { id: n + 1, content: '<|im_start|>', special: true },
      { id: n + 2, content: '<|im_end|>', special: true },
      { id: n + 3, content: '<tool_call>', special: false },
    ],
    normalizer: { type: 'NFC' },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        { type: 'Split', pattern: { Regex: QWEN2_PATTERN }, behavior: 'Isolated', invert: false },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false },
      ],
    },
    post_processor: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false },
    decoder: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges: form === 'string' ? merges : merges.map((m) => m.split(' ')),
      ...extra,
    },
  };
}

async function writeJson(name: string, value: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

const reference = (json: unknown) => new Tokenizer(json as object, { clean_up_tokenization_spaces: false });

describe('tokenizer.json', () => {
  it('saves a file Tokenizers.js encodes identically, and loads it back', async () => {
    const texts = sampleShopTexts(0.01);
    const tok = trainBpe(texts, { vocabSize: 2000, specialTokens: SPECIALS });
    await saveTokenizerJson(tok, join(dir, 'kefu', 'tokenizer.json'));
    await saveTokenizerConfig(tok, join(dir, 'kefu', 'tokenizer_config.json'));
    const json = JSON.parse(await readFile(join(dir, 'kefu', 'tokenizer.json'), 'utf8'));
    const config = JSON.parse(await readFile(join(dir, 'kefu', 'tokenizer_config.json'), 'utf8'));
    expect(config).toMatchObject({
      eos_token: '<|im_end|>',
      pad_token: '<|endoftext|>',
      chat_template: CHATML_TEMPLATE,
    });
    const hf = new Tokenizer(json, config);
    const random = seededRandom(3);
    const samples = [...texts.slice(0, 500), ...Array.from({ length: 400 }, () => randomText(random))];
    samples.push('<|im_start|>user\n您好，订单 KF-35GW 到哪了？<|im_end|>\n<|im_start|>assistant\n');
    // Long pieces take the heap path in merge.ts.
    samples.push('您好请问订单'.repeat(100), ' '.repeat(3000), 'ab'.repeat(2000), '\n'.repeat(500));
    for (const s of samples) {
      const ids = tok.encode(s, { allowSpecial: true });
      expect(hf.encode(s, { add_special_tokens: false }).ids, s).toEqual(ids);
      if (ids.length > 0) expect(hf.decode(ids, { clean_up_tokenization_spaces: false })).toBe(s);
    }
    const again = await loadTokenizerJson(join(dir, 'kefu'));
    expect(again.vocabSize).toBe(tok.vocabSize);
    expect(again.eosId).toBe(tok.eosId);
    for (const s of samples.slice(0, 200)) expect(again.encode(s)).toEqual(tok.encode(s));
  });

  it('loads hand-written HF files with merges as strings or pairs, like Tokenizers.js', async () => {
    const asStrings = handWritten('string');
    const a = await loadTokenizerJson(await writeJson('strings.json', asStrings));
    const b = await loadTokenizerJson(await writeJson('pairs.json', handWritten('pair')));
    const hf = reference(asStrings);
    const random = seededRandom(11);
    const samples = [
      '订单 the',
      'the订单，<|im_end|><tool_call>',
      'cafe\u0301 ok',
      ...Array.from({ length: 300 }, () => randomText(random)),
    ];
    for (const s of samples) {
      expect(b.encode(s)).toEqual(a.encode(s));
      expect(a.encode(s, { allowSpecial: true }), s).toEqual(hf.encode(s, { add_special_tokens: false }).ids);
    }
    expect(a.encode('订单 the').map((id) => a.tokenString(id))).toEqual(['è®¢åįķ', 'Ġthe']);
    expect(a.tokenId('<|im_end|>')).toBe(a.vocabSize - 2);
    expect(a.encode('e\u0301')).toEqual(a.encode('é')); // NFC normalizer
    // Non-special added tokens match even when special tokens are not allowed.
    expect(a.encode('<tool_call><|im_end|>', { allowSpecial: false })[0]).toBe(a.tokenId('<tool_call>'));
  });

  it('honours ignore_merges (Llama-3) like Tokenizers.js', async () => {
    const json = handWritten('string', { ignore_merges: true });
    const model = json.model as { vocab: Record<string, number> };
    model.vocab.ok = Object.keys(model.vocab).length + 10; // in vocab, not reachable by merges
    const tok = await loadTokenizerJson(await writeJson('ignore.json', json));
    expect(tok.encode('ok')).toEqual([model.vocab.ok]);
    expect(tok.encode('ok')).toEqual(reference(json).encode('ok', { add_special_tokens: false }).ids);
  });

  it('reads role tokens from a tokenizer_config.json beside the file', async () => {
    const sub = join(dir, 'model');
    await mkdir(sub, { recursive: true });
    await writeFile(join(sub, 'tokenizer.json'), JSON.stringify(handWritten('pair')));
    await writeFile(
      join(sub, 'tokenizer_config.json'),
      JSON.stringify({ eos_token: { content: '<|im_end|>' }, pad_token: '<|endoftext|>' }),
    );
    const tok = await loadTokenizerJson(sub);
    expect(tok.eosId).toBe(tok.tokenId('<|im_end|>'));
    expect(tok.padId).toBe(tok.tokenId('<|endoftext|>'));
  });

  interface Spoilable {
    model: { type?: string; merges: unknown[]; vocab: Record<string, unknown> };
    added_tokens: { id: unknown }[];
    pre_tokenizer: unknown;
  }
  /** [case, how to spoil the file (a string replaces it whole), field the error must name] */
  const corrupt: [string, (j: Spoilable) => string | undefined, string | undefined][] = [
    ['not JSON', () => '{"model": ', undefined],
    ['wrong model type', (j) => void (j.model.type = 'WordPiece'), 'model.type'],
    ['bad merge string', (j) => void (j.model.merges[1] = 'Ġt'), 'model.merges[1]'],
    ['merge of unknown tokens', (j) => void (j.model.merges[0] = 'x y z'), 'model.merges[0]'],
    ['merge result not in vocab', (j) => void j.model.merges.push('Ġ q'), 'model.merges[10]'],
    ['added token id', (j) => void (j.added_tokens[0]!.id = 'seven'), 'added_tokens[0].id'],
    ['missing byte', (j) => void delete j.model.vocab.A, 'model.vocab'],
    ['vocab id', (j) => void (j.model.vocab.A = -3), 'model.vocab["A"]'],
    [
      'unsupported pre-tokenizer',
      (j) => void (j.pre_tokenizer = { type: 'Metaspace' }),
      'pre_tokenizer.type',
    ],
    ['no model', (j) => void Reflect.deleteProperty(j, 'model'), 'model'],
  ];
  it.each(corrupt)(
    'rejects a corrupt file (%s) with an InputError naming file and field',
    async (name, spoil, field) => {
      const json = handWritten('string');
      const text = spoil(json as unknown as Spoilable) ?? JSON.stringify(json);
      const path = await writeJson(`bad-${name.replace(/\W+/g, '-')}.json`, text);
      const error = await loadTokenizerJson(path).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      const input = error as InputError;
      expect(input.location?.file).toBe(path);
      expect(input.location?.field).toBe(field);
      expect(input.message).toContain(path);
      expect(input.exitCode).toBe(2);
    },
  );
});
