/**
 * `BpeTokenizer`: byte-level BPE encode / decode over a `BpeModel` (trained by `trainBpe` or
 * loaded from a tokenizer.json). Encoding cuts out added tokens, normalises, pre-tokenises, then
 * merges each piece's UTF-8 bytes by rank (lowest rank, leftmost first, as HF does), caching
 * results per piece. Decoding concatenates token bytes and decodes UTF-8, so an incomplete
 * character becomes U+FFFD only where bytes are truly missing.
 *
 *   const tok = trainBpe(texts, { vocabSize: 2000, specialTokens: ['<|im_end|>'] });
 *   tok.encode('您好<|im_end|>')          // e.g. [812, 2001]
 *   tok.decode(tok.encode(s)) === s         // for every string without lone surrogates
 *
 * Does not add BOS/EOS (chat templates do) and does not pad or truncate.
 */
import type { TextTokenizer } from '../contracts.js';
import { byteLevelDecode, byteLevelEncode, utf8Bytes, utf8Into } from './byte-level.js';
import { mergeSymbols } from './merge.js';
import type { AddedToken, BpeModel } from './model.js';
import { compilePattern, forEachPiece, TokenSplitter } from './pretokenize.js';

/** Thrown for an inconsistent model; `field` names the tokenizer.json field at fault. */
export class BpeModelError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export interface EncodeOptions {
  /**
   * Match special tokens (`<|im_end|>`) written in the text. Defaults to the tokenizer's setting,
   * false unless constructed otherwise, so user text can never forge chat-template markers.
   */
  allowSpecial?: boolean;
}

const PAIR = 2_097_152; // 2^21: pair key = left * PAIR + right (ids < 2^21)
const CACHE_LIMIT = 100_000;
const CACHE_MAX_PIECE = 256;

export class BpeTokenizer implements TextTokenizer {
  readonly model: Readonly<BpeModel>;
  readonly vocabSize: number;
  private readonly allowSpecialDefault: boolean;
  private readonly idBytes: Uint8Array[] = [];
  private readonly idString: string[] = [];
  private readonly added = new Map<string, AddedToken>();
  private readonly byteId = new Int32Array(256);
  private readonly pairRank = new Map<number, number>();
  private readonly mergeId: Int32Array;
  private readonly regexes: RegExp[];
  private readonly allSplitter: TokenSplitter;
  private readonly plainSplitter: TokenSplitter;
  private readonly cache = new Map<string, number[]>();
  private readonly scratch = { bytes: new Uint8Array(3 * CACHE_MAX_PIECE) };
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });

  constructor(model: BpeModel, options: { allowSpecial?: boolean } = {}) {
    this.model = model;
    this.allowSpecialDefault = options.allowSpecial ?? false;
    let maxId = -1;
    for (const [token, id] of model.vocab) {
      if (!Number.isInteger(id) || id < 0 || id >= PAIR)
        throw new BpeModelError('model.vocab', `token ${JSON.stringify(token)} has invalid id ${id}`);
      const bytes = byteLevelDecode(token);
      if (bytes === undefined)
        throw new BpeModelError('model.vocab', `token ${JSON.stringify(token)} is not byte-level`);
      if (this.idString[id] !== undefined) throw new BpeModelError('model.vocab', `id ${id} is used twice`);
      this.idBytes[id] = bytes;
      this.idString[id] = token;
      if (id > maxId) maxId = id;
    }
    for (let b = 0; b < 256; b++) {
      const id = model.vocab.get(byteLevelEncode(Uint8Array.of(b)));
      if (id === undefined)
        throw new BpeModelError('model.vocab', `lacks the single-byte token for byte 0x${b.toString(16)}`);
      this.byteId[b] = id;
    }
    this.mergeId = new Int32Array(model.merges.length);
    model.merges.forEach(([a, b], rank) => {
      const left = model.vocab.get(a);
      const right = model.vocab.get(b);
      const merged = model.vocab.get(a + b);
      if (left === undefined || right === undefined || merged === undefined)
        throw new BpeModelError(
          `model.merges[${rank}]`,
          `"${a} ${b}" uses or makes a token not in the vocab`,
        );
      const key = left * PAIR + right;
      if (!this.pairRank.has(key)) this.pairRank.set(key, rank);
      this.mergeId[rank] = merged;
    });
    for (const t of model.addedTokens) {
      if (!Number.isInteger(t.id) || t.id < 0 || t.id >= PAIR)
        throw new BpeModelError('added_tokens', `token ${JSON.stringify(t.content)} has invalid id ${t.id}`);
      if (t.content.length === 0) throw new BpeModelError('added_tokens', `token ${t.id} is empty`);
      this.added.set(t.content, t);
      this.idBytes[t.id] = utf8Bytes(t.content);
      this.idString[t.id] = t.content;
      if (t.id > maxId) maxId = t.id;
    }
    this.vocabSize = maxId + 1;
    this.regexes = model.patterns.map((p, i) => {
      try {
        return compilePattern(p);
      } catch (error) {
        throw new BpeModelError(
          `pre_tokenizer pattern ${i}`,
          `cannot compile ${JSON.stringify(p)}: ${error}`,
        );
      }
    });
    this.allSplitter = new TokenSplitter(model.addedTokens.map((t) => t.content));
    this.plainSplitter = new TokenSplitter(model.addedTokens.filter((t) => !t.special).map((t) => t.content));
  }

  /** Token ids of `text`. Special tokens written in the text count when `allowSpecial`. */
  encode(text: string, options: EncodeOptions = {}): number[] {
    const out: number[] = [];
    const splitter =
      (options.allowSpecial ?? this.allowSpecialDefault) ? this.allSplitter : this.plainSplitter;
    splitter.split(
      text,
      (gap) => this.encodeOrdinary(gap, out),
      (token) => out.push(this.added.get(token)!.id),
    );
    return out;
  }

  /** Ids of text with no added-token matching at all (pre-tokenise + BPE only). */
  encodeOrdinary(text: string, out: number[] = []): number[] {
    const model = this.model;
    if (model.normalizer) text = text.normalize(model.normalizer);
    if (model.addPrefixSpace && !text.startsWith(' ')) text = ` ${text}`;
    const emit = (piece: string) => {
      const ids = this.encodePiece(piece);
      for (let i = 0; i < ids.length; i++) out.push(ids[i]!);
    };
    if (this.regexes.length === 0) emit(text);
    else if (this.regexes.length === 1) forEachPiece(text, this.regexes[0]!, emit);
    else this.splitRecursive(text, 0, emit);
    return out;
  }

  private splitRecursive(text: string, level: number, emit: (piece: string) => void): void {
    if (level === this.regexes.length) emit(text);
    else forEachPiece(text, this.regexes[level]!, (p) => this.splitRecursive(p, level + 1, emit));
  }

  /** BPE of one pre-token, cached. */
  private encodePiece(piece: string): number[] {
    const hit = this.cache.get(piece);
    if (hit !== undefined) return hit;
    let buf = this.scratch.bytes;
    if (piece.length * 3 > buf.length) buf = new Uint8Array(piece.length * 3);
    const n = utf8Into(piece, buf);
    const ids = this.bpe(buf, n);
    if (piece.length <= CACHE_MAX_PIECE) {
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(piece, ids);
    }
    return ids;
  }

  /** Merges bytes[0, n) by rank: always the lowest-ranked adjacent pair, leftmost on ties. */
  private bpe(bytes: Uint8Array, n: number): number[] {
    if (this.model.ignoreMerges) {
      const whole = this.model.vocab.get(byteLevelEncode(bytes.subarray(0, n)));
      if (whole !== undefined) return [whole];
    }
    const ids = new Array<number>(n);
    for (let i = 0; i < n; i++) ids[i] = this.byteId[bytes[i]!]!;
    return mergeSymbols(ids, this.rankOfBound, this.mergedIdBound);
  }

  private readonly rankOfBound = (left: number, right: number) => this.rankOf(left, right);
  private readonly mergedIdBound = (rank: number) => this.mergeId[rank]!;

  private rankOf(left: number, right: number): number {
    return this.pairRank.get(left * PAIR + right) ?? Infinity;
  }

  /** The bytes of a token sequence (special tokens as their UTF-8 text). */
  decodeBytes(ids: readonly number[]): Uint8Array {
    let total = 0;
    for (const id of ids) total += this.tokenBytes(id).length;
    const out = new Uint8Array(total);
    let at = 0;
    for (const id of ids) {
      const bytes = this.idBytes[id]!;
      out.set(bytes, at);
      at += bytes.length;
    }
    return out;
  }

  /** Text of any id sequence; bytes that do not form UTF-8 become U+FFFD. */
  decode(ids: readonly number[]): string {
    return this.decoder.decode(this.decodeBytes(ids));
  }

  /** The raw bytes of one token. Throws RangeError for an id outside the vocabulary. */
  tokenBytes(id: number): Uint8Array {
    const bytes = this.idBytes[id];
    if (bytes === undefined)
      throw new RangeError(`token id ${id} is not in the vocabulary (size ${this.vocabSize})`);
    return bytes;
  }

  /** The vocabulary string of a token: byte-level form ('Ġè®¢') or an added token's content. */
  tokenString(id: number): string | undefined {
    return this.idString[id];
  }

  /** Id of an added token ('<|im_end|>') or of the regular token whose text is `token` ('订'). */
  tokenId(token: string): number | undefined {
    return this.added.get(token)?.id ?? this.model.vocab.get(byteLevelEncode(utf8Bytes(token)));
  }

  /** Added tokens (special and not), in id order. */
  get addedTokens(): readonly AddedToken[] {
    return [...this.model.addedTokens].sort((a, b) => a.id - b.id);
  }

  get bosId(): number | undefined {
    return this.roleId(this.model.bosToken);
  }
  get eosId(): number | undefined {
    return this.roleId(this.model.eosToken);
  }
  get padId(): number | undefined {
    return this.roleId(this.model.padToken);
  }
  private roleId(token: string | undefined): number | undefined {
    return token === undefined ? undefined : this.tokenId(token);
  }
}
