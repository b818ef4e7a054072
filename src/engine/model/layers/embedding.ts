/**
 * Token embedding lookup (forward/backward), llm.c `encoder_forward` without positional
 * embeddings (RoPE handles positions). Does not check token ranges in the hot loop; the model
 * validates tokens once per call.
 */

/** out[n, :] = wte[tokens[n], :]. */
export function embeddingForward(
  out: Float32Array, // (N, C)
  tokens: Int32Array, // (N)
  wte: Float32Array, // (V, C)
  N: number,
  C: number,
): void {
  for (let n = 0; n < N; n++) {
    const t = tokens[n]!;
    out.set(wte.subarray(t * C, t * C + C), n * C);
  }
}

/** dwte[tokens[n], :] += dout[n, :]. */
export function embeddingBackward(
  dwte: Float32Array, // (V, C)
  dout: Float32Array, // (N, C)
  tokens: Int32Array, // (N)
  N: number,
  C: number,
): void {
  for (let n = 0; n < N; n++) {
    const w = tokens[n]! * C;
    const o = n * C;
    for (let i = 0; i < C; i++) dwte[w + i]! += dout[o + i]!;
  }
}
