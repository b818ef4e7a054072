/**
 * Builds all four eval sets from one shop snapshot and one seed; each set draws from its own
 * named random stream, so changing one set's size never shifts another's questions.
 */
import { Rng } from '../../shop/sample/random.js';
import type { ShopSnapshot } from '../shop-snapshot.js';
import type { EvalSets } from '../types.js';
import { generateAccuracySet } from './accuracy.js';
import { generateCoherenceSet } from './coherence.js';
import { buildPools } from './pools.js';
import { generateReplacementSet } from './replacement.js';
import { generateSafetySet } from './safety.js';

export interface SetSizes {
  /** Single-turn questions; the seed asks for 1,000. */
  accuracy: number;
  /** Multi-turn scenarios; the seed asks for 100. */
  coherence: number;
  replacement: number;
  safety: number;
}

export const DEFAULT_SET_SIZES: SetSizes = { accuracy: 1000, coherence: 100, replacement: 100, safety: 60 };

export function generateEvalSets(
  snapshot: ShopSnapshot,
  seed: number,
  sizes: Partial<SetSizes> = {},
): EvalSets {
  const size = { ...DEFAULT_SET_SIZES, ...sizes };
  const pools = buildPools(snapshot);
  const root = new Rng(seed);
  return {
    shop: snapshot.name,
    seed,
    accuracy: generateAccuracySet(root.fork('accuracy'), pools, size.accuracy),
    coherence: generateCoherenceSet(root.fork('coherence'), pools, size.coherence),
    replacement: generateReplacementSet(root.fork('replacement'), pools, size.replacement),
    safety: generateSafetySet(root.fork('safety'), pools, size.safety),
  };
}
