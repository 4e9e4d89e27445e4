/**
 * The project's one seeded pseudo-random generator (mulberry32 on a splitmix32-mixed seed): the same seed gives
 * the same sequence in Node and the browser. Used for k-means seeding, SVD, pseudo-queries, parameter
 * initialization, shuffling, and in tests so failures reproduce.
 */

/** A deterministic random source. */
export class Rng {
  private s: number;
  private spare: number | null = null;

  /** Creates a generator from an integer seed. */
  constructor(seed: number) {
    let z = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    this.s = (z ^ (z >>> 16)) >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal sample (Box-Muller, both values used). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Shuffles `a` in place (Fisher-Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}

/** Creates a deterministic generator from an integer seed. */
export function seededRandom(seed: number): Rng {
  return new Rng(seed);
}

/** Fisher-Yates shuffle in place with a seeded generator; returns the array. */
export function shuffleInPlace<T>(items: T[], rng: Rng): T[] {
  return rng.shuffle(items);
}
