/**
 * The contracts between kefu's training-engine parts, so kernels, model, tokenizer, file formats
 * and the trainer can be built and tested apart. Types only. Conventions (llm.c style):
 * row-major Float32Array buffers, shapes in comments like `// (B, T, C)`, gradients named `d…`
 * and accumulated with `+=`, HF parameter names and [out, in] weight layout everywhere.
 */

/** Dense float32 matrix kernels. Every backend gives the same results within float32 rounding. */
export interface Kernels {
  /** "native-openblas" or "portable-wasm" … */
  readonly name: string;
  /**
   * C (M×N) = op(A) · op(B), or C += … when `accumulate`. Row-major.
   * op(A) is A (M×K) or, with `transA`, Aᵀ where A is stored K×M.
   * op(B) is B (K×N) or, with `transB`, Bᵀ where B is stored N×K.
   */
  matmul(
    c: Float32Array,
    a: Float32Array,
    b: Float32Array,
    m: number,
    k: number,
    n: number,
    options?: { transA?: boolean; transB?: boolean; accumulate?: boolean },
  ): void;
}

/** A Llama / Qwen2 family model configuration, with HF config.json's key names. */
export interface ModelConfig {
  architecture: 'llama' | 'qwen2';
  vocab_size: number;
  hidden_size: number;
  intermediate_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  num_key_value_heads: number;
  max_position_embeddings: number;
  rms_norm_eps: number;
  rope_theta: number;
  tie_word_embeddings: boolean;
  /** Bias on q/k/v projections (Qwen2: true, Llama: false). */
  attention_bias: boolean;
  bos_token_id?: number;
  eos_token_id?: number;
}

/** A named parameter tensor. `grad` exists only for trainable parameters. */
export interface Parameter {
  /** HF name, e.g. "model.layers.0.self_attn.q_proj.weight". LoRA: "...q_proj.lora_A.weight". */
  name: string;
  shape: number[];
  data: Float32Array;
  grad?: Float32Array;
}

/**
 * What the trainer needs from a model. Training is two calls per micro-batch:
 *   forward(tokens, targets, B, T) → per-position log-probability of the target token (B*T),
 *     0 where targets[i] === IGNORE_INDEX;
 *   backward(dLogprobs) → accumulates into every trainable parameter's grad, given the loss
 *     gradient w.r.t. each of those log-probabilities (SFT: −1/N on kept positions; DPO: per-sequence
 *     weights). The model keeps what it needs between the two calls.
 */
export interface TrainableModel {
  readonly config: ModelConfig;
  forward(tokens: Int32Array, targets: Int32Array, batch: number, seqLen: number): Float32Array;
  backward(dLogprobs: Float32Array): void;
  /** Parameters that train (LoRA adapters only, or all for full fine-tuning). */
  trainableParameters(): Parameter[];
  zeroGrad(): void;
}

/** Label value that masks a position out of the loss (as in PyTorch / LLaMA-Factory). */
export const IGNORE_INDEX = -100;

/** What the trainer and the chat template need from a tokenizer. */
export interface TextTokenizer {
  readonly vocabSize: number;
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
  /** Id of a special token such as "<|im_start|>", or undefined when the vocabulary lacks it. */
  tokenId(token: string): number | undefined;
}

/** LoRA settings with LLaMA-Factory / PEFT meanings. scale = alpha / rank. */
export interface LoraConfig {
  rank: number;
  alpha: number;
  dropout: number;
  /** Module names: q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj ("all" = every one). */
  targets: string[];
}
