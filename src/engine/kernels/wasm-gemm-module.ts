/**
 * The bytes of kefu's WebAssembly SIMD matrix-product module, assembled here instruction by
 * instruction (no compiler toolchain is needed at install or run time). It imports a shared memory
 * `env.memory` and exports one function:
 *
 *   gemm(aPtr, bPtr, cPtr, t0, t1, panelsN, k, ldc)
 *
 * which adds packed op(A) row panels t0..t1-1 times every packed op(B) column panel into C:
 * A panel t holds rows MR·t.. MR·t+MR-1 interleaved (a[(t·k + p)·MR + s]), B panel u holds
 * columns 8u..8u+7 interleaved (b[(u·k + p)·8 + s]), C is row-major with `ldc` floats per row (a
 * multiple of 8) and is added to, never overwritten. The K dimension is walked in blocks of KC and
 * the column panels in groups of NC_PANELS so a B block stays in the core's L2 cache; the inner
 * loop keeps an MR×8 tile of C in 2·MR f32x4 registers (MR = 4 measured faster here than 6: V8
 * has 16 vector registers). Pointers are byte offsets; sums are float32.
 *
 * It does not pack, pad, allocate or split work between threads (portable.ts and
 * wasm-threads.ts do).
 */

/** Depth of one K block and column panels per B block (256 × 64 panels × 8 floats = 512 KiB). */
export const KC = 256;
export const NC_PANELS = 64;
/** Rows of op(A) per packed panel (and per register tile); columns of op(B) per panel are 8. */
export const MR = 4;

const I32 = 0x7f;
const V128 = 0x7b;

/** Unsigned LEB128. */
function u32(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 for i32.const. */
function s32(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

const section = (id: number, body: number[]) => [id, ...u32(body.length), ...body];
const vector = (items: number[][]) => [...u32(items.length), ...items.flat()];
const name = (text: string) => [...u32(text.length), ...Buffer.from(text, 'utf8')];

// Instructions used by the gemm body.
const get = (i: number) => [0x20, ...u32(i)];
const set = (i: number) => [0x21, ...u32(i)];
const i32 = (v: number) => [0x41, ...s32(v)];
const add = 0x6a;
const sub = 0x6b;
const mul = 0x6c;
const shl = 0x74;
const ltU = 0x49;
const geU = 0x4f;
const select = 0x1b;
const block = [0x02, 0x40];
const loop = [0x03, 0x40];
const end = 0x0b;
const br = (depth: number) => [0x0c, ...u32(depth)];
const brIf = (depth: number) => [0x0d, ...u32(depth)];
const simd = (op: number, ...imm: number[]) => [0xfd, ...u32(op), ...imm];
const v128Load = (offset: number) => simd(0x00, 4, ...u32(offset));
const v128Store = (offset: number) => simd(0x0b, 4, ...u32(offset));
const load32Splat = (offset: number) => simd(0x09, 2, ...u32(offset));
const v128Zero = simd(0x0c, ...new Array<number>(16).fill(0));
const f32x4Add = simd(0xe4);
const f32x4Mul = simd(0xe6);

// Parameters (0..7) and locals.
const [A, B, C, T0, T1, PANELS_N, K, LDC] = [0, 1, 2, 3, 4, 5, 6, 7];
const [PC, KCUR, U0, U1, T, U, AP, BP, AEND, CP, ROW] = [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18];
const I32_LOCALS = 11;
const ACC = 19; // row r, column half h of the tile in ACC + 2r + h
const BV0 = ACC + 2 * MR;
const BV1 = BV0 + 1;
const AV = BV1 + 1;
const V128_LOCALS = 2 * MR + 3;

/** The unsigned minimum of two i32 expressions (each evaluated twice; keep them pure). */
const minU = (x: number[], y: number[]) => [...x, ...y, ...x, ...y, ltU, select];

/** `local = local + step` (both i32). */
const bump = (local: number, step: number[]) => [...get(local), ...step, add, ...set(local)];

/** The MR×8 micro-kernel: kc steps of tile += A column (MR) × B row (8), then C += tile. */
function microKernel(): number[] {
  const body: number[] = [];
  // aP = A + (t·k + pc)·MR·4; bP = B + (u·k + pc)·32; aEnd = aP + kc·MR·4.
  body.push(...get(A), ...get(T), ...get(K), mul, ...get(PC), add, ...i32(MR * 4), mul, add, ...set(AP));
  body.push(...get(B), ...get(U), ...get(K), mul, ...get(PC), add, ...i32(5), shl, add, ...set(BP));
  body.push(...get(AP), ...get(KCUR), ...i32(MR * 4), mul, add, ...set(AEND));
  for (let r = 0; r < 2 * MR; r++) body.push(...v128Zero, ...set(ACC + r));
  body.push(...loop);
  body.push(...get(BP), ...v128Load(0), ...set(BV0), ...get(BP), ...v128Load(16), ...set(BV1));
  for (let r = 0; r < MR; r++) {
    body.push(...get(AP), ...load32Splat(4 * r), ...set(AV));
    for (let h = 0; h < 2; h++) {
      const acc = ACC + 2 * r + h;
      body.push(...get(acc), ...get(AV), ...get(h === 0 ? BV0 : BV1), ...f32x4Mul, ...f32x4Add, ...set(acc));
    }
  }
  body.push(...bump(AP, i32(MR * 4)), ...bump(BP, i32(32)));
  body.push(...get(AP), ...get(AEND), ltU, ...brIf(0), end);
  // cP = C + (MR·t·ldc + 8u)·4; each row: C[row] += acc.
  body.push(...get(C), ...get(T), ...get(ROW), mul, add);
  body.push(...get(U), ...i32(5), shl, add, ...set(CP));
  for (let r = 0; r < MR; r++) {
    for (let h = 0; h < 2; h++) {
      body.push(...get(CP), ...get(CP), ...v128Load(16 * h), ...get(ACC + 2 * r + h), ...f32x4Add);
      body.push(...v128Store(16 * h));
    }
    if (r < MR - 1) body.push(...get(CP), ...get(LDC), ...i32(2), shl, add, ...set(CP));
  }
  return body;
}

/** `for (local = from; local < limit; …) { body; step }` as block/loop with the exit test first. */
function forLoop(local: number, from: number[], limit: number[], body: number[], step: number[]): number[] {
  return [
    ...from,
    ...set(local),
    ...block,
    ...loop,
    ...get(local),
    ...limit,
    geU,
    ...brIf(1),
    ...body,
    ...step,
    ...br(0),
    end,
    end,
  ];
}

function gemmBody(): number[] {
  const uLoop = forLoop(U, get(U0), get(U1), microKernel(), bump(U, i32(1)));
  const tLoop = forLoop(T, get(T0), get(T1), uLoop, bump(T, i32(1)));
  const u1 = [...minU([...get(U0), ...i32(NC_PANELS), add], get(PANELS_N)), ...set(U1)];
  const u0Loop = forLoop(U0, i32(0), get(PANELS_N), [...u1, ...tLoop], [...get(U1), ...set(U0)]);
  const kc = [...minU([...get(K), ...get(PC), sub], i32(KC)), ...set(KCUR)];
  const pcLoop = forLoop(PC, i32(0), get(K), [...kc, ...u0Loop], bump(PC, i32(KC)));
  // ROW = MR·ldc·4 (bytes from one row panel of C to the next).
  return [...get(LDC), ...i32(MR * 4), mul, ...set(ROW), ...pcLoop, end];
}

let cached: Uint8Array | undefined;

/** The module's bytes (built once). */
export function gemmModuleBytes(): Uint8Array {
  if (cached) return cached;
  const type = section(1, vector([[0x60, ...vector(new Array(8).fill([I32])), 0]]));
  // env.memory: shared, 1 page minimum, 65536 pages (4 GiB) maximum.
  const imports = section(
    2,
    vector([[...name('env'), ...name('memory'), 0x02, 0x03, ...u32(1), ...u32(65536)]]),
  );
  const functions = section(3, vector([[0]]));
  const exports = section(7, vector([[...name('gemm'), 0x00, 0]]));
  const locals = vector([
    [...u32(I32_LOCALS), I32],
    [...u32(V128_LOCALS), V128],
  ]);
  const body = [...locals, ...gemmBody()];
  const code = section(10, vector([[...u32(body.length), ...body]]));
  cached = Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    1,
    0,
    0,
    0,
    ...type,
    ...imports,
    ...functions,
    ...exports,
    ...code,
  ]);
  return cached;
}
