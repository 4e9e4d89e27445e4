/**
 * Deterministic parameter initialization and the seeded PRNG the trainer also uses for shuffling.
 */
import { parameterShapes, validateConfig } from './config.ts';
import type { ModelConfig, ModelParams } from './config.ts';

/** Standard deviation of the normal initialization of weight matrices and embeddings. */
export const INIT_STD = 0.02;

/** A small seeded PRNG (mulberry32 on a splitmix32-mixed seed): same seed, same sequence, everywhere. */
export class Rng {
  private s: number;
  private spare: number | null = null;
  constructor(seed: number) {
    let z = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    this.s = (z ^ (z >>> 16)) >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** Standard normal (Box-Muller). */
  normal(): number {
    if (this.spare !== null) { const s = this.spare; this.spare = null; return s; }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
  /** Shuffles `a` in place (Fisher-Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: number }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
    return a;
  }
}

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
