/**
 * The seeded randomness behind reviewer draws. An auditor replays a draw from its recorded seed
 * and candidates, so the generator must be tiny, fixed and identical everywhere: mulberry32
 * (32-bit state, public domain), never Math.random.
 */

/** A generator of floats in [0, 1) from a uint32 seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A uint32 seed from text (FNV-1a), for deterministic demo data and tests. */
export function seedFrom(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** An integer in [0, n) from the generator. */
export function nextInt(next: () => number, n: number): number {
  return Math.floor(next() * n);
}

/**
 * The first `count` items of a Fisher–Yates shuffle driven by `next`: a uniform draw without
 * replacement that depends only on the seed and the order of `items`.
 */
export function drawWithoutReplacement<T>(items: readonly T[], count: number, next: () => number): T[] {
  const pool = [...items];
  const take = Math.min(count, pool.length);
  for (let i = 0; i < take; i++) {
    const j = i + nextInt(next, pool.length - i);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, take);
}
