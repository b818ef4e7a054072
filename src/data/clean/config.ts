/**
 * The configuration schema of `kefu data clean`: every knob of the cleaner with its default and a
 * description, so an empty object (or no file at all) parses to a working configuration.
 * Does not: read files or flags (the CLI does) or run any check.
 */

import { z } from 'zod';
import { ConfigError } from '../../core/errors.js';
import { DEFAULT_PROMOTION_PHRASES } from './ads.js';
import { PII_KINDS } from './pii.js';

const lengthSchema = z
  .strictObject({
    minUserChars: z
      .number()
      .int()
      .min(0)
      .default(1)
      .describe('Fewest characters (code points, trimmed) a user turn may have; fewer is junk.too_short.'),
    minReplyChars: z
      .number()
      .int()
      .min(0)
      .default(2)
      .describe('Fewest characters an assistant reply, chosen or rejected answer may have.'),
    maxChars: z
      .number()
      .int()
      .positive()
      .default(4000)
      .describe('Most characters any user turn or reply may have; more is junk.too_long.'),
  })
  .describe('Length limits per turn.');

const junkSchema = z
  .strictObject({
    repeatsQuestionThreshold: z
      .number()
      .min(0)
      .max(1)
      .default(0.8)
      .describe(
        'Character-bigram Jaccard similarity of a reply to the user turn it answers at or above which the reply only repeats the question.',
      ),
    rareCjkShare: z
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .describe(
        'Share of CJK characters outside GB2312 level 1 at which a text is mojibake (UTF-8 read as GBK).',
      ),
    latin1Share: z
      .number()
      .min(0)
      .max(1)
      .default(0.3)
      .describe('Share of U+0080-U+00FF characters at which a text is mojibake.'),
    mojibakeMinChars: z
      .number()
      .int()
      .min(1)
      .default(6)
      .describe('Fewest CJK (or Latin-1) characters a text needs before the share rules above are applied.'),
  })
  .describe('Junk detection.');

const nearSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Detect near-duplicates with MinHash + LSH.'),
    threshold: z
      .number()
      .min(0)
      .max(1)
      .default(0.8)
      .describe(
        'Estimated Jaccard similarity of character shingles at or above which a record is a near-duplicate.',
      ),
    shingleSize: z
      .number()
      .int()
      .min(1)
      .max(10)
      .default(3)
      .describe('Character n-gram length of the shingles.'),
    bands: z
      .number()
      .int()
      .min(1)
      .max(64)
      .default(20)
      .describe('LSH bands; permutations = bands × rowsPerBand.'),
    rowsPerBand: z
      .number()
      .int()
      .min(1)
      .max(32)
      .default(6)
      .describe('Rows per LSH band; more rows raise the similarity at which candidates are found.'),
    seed: z
      .number()
      .int()
      .min(0)
      .max(0xffffffff)
      .default(0x6b656675)
      .describe('Seed of the MinHash hash family; same seed, same results.'),
    maxBucketSize: z
      .number()
      .int()
      .min(1)
      .default(64)
      .describe('Most records one LSH bucket keeps; bounds the work per record on template-heavy data.'),
  })
  .describe('Near-duplicate detection.');

const adsSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe('Drop records with URLs, contact solicitations or promotion phrases.'),
    promotionPhrases: z
      .array(z.string().min(1))
      .default(() => [...DEFAULT_PROMOTION_PHRASES])
      .describe('Promotion/spam phrases; matched ignoring width, case and whitespace.'),
    extraPromotionPhrases: z
      .array(z.string().min(1))
      .default([])
      .describe('Phrases added to promotionPhrases (to extend the defaults without repeating them).'),
  })
  .describe('Advertising and spam detection.');

const allowSchema = z
  .strictObject({
    domains: z
      .array(z.string().min(1))
      .default([])
      .describe("The shop's own domains (subdomains included); URLs on them are not ads."),
    phones: z
      .array(z.string().min(1))
      .default([])
      .describe("The shop's own phone numbers; neither masked nor counted as contact solicitation."),
    contactIds: z
      .array(z.string().min(1))
      .default([])
      .describe("The shop's own WeChat / QQ ids; not counted as contact solicitation."),
  })
  .describe("The shop's own contact points, allowed in replies.");

const piiSchema = z
  .strictObject({
    kinds: z
      .array(z.enum(PII_KINDS))
      .default(() => [...PII_KINDS])
      .describe('Kinds of personal data to mask: phone, id_card, bank_card, email, address, name.'),
  })
  .describe('Personal data masking (masked, never dropped).');

export const cleanConfigSchema = z
  .strictObject({
    length: lengthSchema.default(() => lengthSchema.parse({})).describe('Length limits per turn.'),
    junk: junkSchema.default(() => junkSchema.parse({})).describe('Junk detection.'),
    exactDuplicates: z.boolean().default(true).describe('Drop exact duplicates (after normalisation).'),
    nearDuplicates: nearSchema.default(() => nearSchema.parse({})).describe('Near-duplicate detection.'),
    ads: adsSchema.default(() => adsSchema.parse({})).describe('Advertising and spam detection.'),
    allow: allowSchema.default(() => allowSchema.parse({})).describe("The shop's own contact points."),
    pii: piiSchema.default(() => piiSchema.parse({})).describe('Personal data masking.'),
  })
  .describe('Configuration of `kefu data clean`.');

export type CleanConfig = z.infer<typeof cleanConfigSchema>;
/** What a config file may contain: every field optional. */
export type CleanConfigInput = z.input<typeof cleanConfigSchema>;

/** Parse a (partial) configuration, filling defaults. Throws ConfigError naming every bad field. */
export function parseCleanConfig(input: unknown = {}, file = 'clean config'): CleanConfig {
  const result = cleanConfigSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new ConfigError(
    problems.join('; '),
    { file },
    { hint: 'fix the clean configuration; every field is optional' },
  );
}
