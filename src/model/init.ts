/**
 * Deterministic parameter initialization and the seeded PRNG the trainer also uses for shuffling.
 */
import { Rng } from '../core/seeded-random.ts';
import { parameterShapes, validateConfig } from './config.ts';
import type { ModelConfig, ModelParams } from './config.ts';

/** Standard deviation of the normal initialization of weight matrices and embeddings. */
export const INIT_STD = 0.02;

/** The seeded PRNG (shared with the indexer; re-exported for the trainer and tests). */
export { Rng };

/**
 * Fresh parameters for `config`, deterministic in `seed`: weight matrices, embeddings and positions
 * ~ normal(0, INIT_STD); biases 0; LayerNorm gains 1 and biases 0.
 */
export function initParams(config: ModelConfig, seed: number): ModelParams {
  validateConfig(config);
  const rng = new Rng(seed);
  const params: ModelParams = {};
  for (const [name, shape] of parameterShapes(config)) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    const leaf = name.slice(name.lastIndexOf('.') + 1);
    if (shape.length === 2) {
      for (let i = 0; i < data.length; i++) data[i] = rng.normal() * INIT_STD;
    } else if (leaf === 'g') {
      data.fill(1);
    }
    params[name] = { shape: [...shape], data };
  }
  return params;
}
