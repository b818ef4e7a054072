/**
 * Benchmark of the byte-level BPE tokenizer on the sample shop's Chinese customer-service texts
 * (instruction / input / output / preference texts of `buildSampleShop`, scale 0.2 ≈ 1.3 MB;
 * 0.05 with --quick): encode throughput in MB/s and tokens/s for kefu against
 * @huggingface/tokenizers (Tokenizers.js) loading the same tokenizer.json in the same run, record
 * by record, caches warm (median of 5 after a warm-up; kefu's cold first pass is in the notes).
 * Also times `trainBpe` for an 8,000-token vocabulary on ~5 MB of the same kind of text (scale
 * 0.8; the encode texts with --quick), goal <= 60 s, and notes whether both tokenizers produced
 * identical ids. Does not measure decoding or file loading.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { type Benchmark, medianMs, timeMs } from '../../bench/benchmark.js';
import { BpeTokenizer } from './bpe.js';
import { saveTokenizerConfig, saveTokenizerJson } from './hf-files.js';
import { sampleShopTexts } from './testing.js';
import { trainBpe } from './train.js';

export const tokenizerBenchmark: Benchmark = {
  id: 'engine.tokenizer',
  title: 'Byte-level BPE encode vs Tokenizers.js (same tokenizer.json, Chinese service texts); BPE training',
  async run({ scratchDir, quick, log }) {
    const texts = sampleShopTexts(quick ? 0.05 : 0.2);
    const bytes = texts.reduce((sum, t) => sum + Buffer.byteLength(t), 0);
    const mb = bytes / 1e6;
    log(`${texts.length} texts, ${mb.toFixed(2)} MB`);

    const specialTokens = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'];
    const trainTexts = quick ? texts : sampleShopTexts(0.8);
    const trainMb = trainTexts.reduce((sum, t) => sum + Buffer.byteLength(t), 0) / 1e6;
    const trainMs = await timeMs(() => trainBpe(trainTexts, { vocabSize: 8000, specialTokens }));
    const tok = trainBpe(texts, { vocabSize: 8000, specialTokens });
    const cold = new BpeTokenizer(tok.model);
    const coldMs = await timeMs(() => {
      for (const t of texts) cold.encode(t);
    });
    await saveTokenizerJson(tok, join(scratchDir, 'tokenizer.json'));
    await saveTokenizerConfig(tok, join(scratchDir, 'tokenizer_config.json'));
    const json = JSON.parse(await readFile(join(scratchDir, 'tokenizer.json'), 'utf8'));
    const config = JSON.parse(await readFile(join(scratchDir, 'tokenizer_config.json'), 'utf8'));
    const reference = new Tokenizer(json, config);

    let kefuTokens = 0;
    let refTokens = 0;
    const kefuMs = await medianMs(() => {
      kefuTokens = 0;
      for (const t of texts) kefuTokens += tok.encode(t).length;
    });
    const refMs = await medianMs(() => {
      refTokens = 0;
      for (const t of texts) refTokens += reference.encode(t, { add_special_tokens: false }).ids.length;
    });
    let mismatches = 0;
    for (const t of texts) {
      const a = tok.encode(t);
      const b = reference.encode(t, { add_special_tokens: false }).ids;
      if (a.length !== b.length || a.some((id, i) => id !== b[i])) mismatches++;
    }
    const notes =
      `${mb.toFixed(2)} MB, ${texts.length} texts, vocab ${tok.vocabSize}; ${(bytes / kefuTokens).toFixed(2)} bytes/token; ` +
      `kefu cold-cache pass ${(mb / (coldMs / 1000)).toFixed(1)} MB/s; ` +
      `ids identical to Tokenizers.js for ${texts.length - mismatches}/${texts.length} texts`;
    return [
      {
        name: 'encode throughput',
        value: mb / (kefuMs / 1000),
        unit: 'MB/s',
        higherIsBetter: true,
        reference: { name: '@huggingface/tokenizers', value: mb / (refMs / 1000) },
        notes,
      },
      {
        name: 'encode tokens/s',
        value: kefuTokens / (kefuMs / 1000),
        unit: 'tokens/s',
        higherIsBetter: true,
        reference: { name: '@huggingface/tokenizers', value: refTokens / (refMs / 1000) },
      },
      {
        name: 'train BPE, 8k vocab',
        value: trainMs / 1000,
        unit: 's',
        higherIsBetter: false,
        ...(quick ? {} : { goal: { value: 60, text: '~5 MB in <= 60 s' } }),
        notes: `${trainMb.toFixed(2)} MB of text, ${((trainMb / trainMs) * 1000).toFixed(2)} MB/s, one core`,
      },
    ];
  },
};
