/**
 * mulberry32: a tiny seeded generator, so that synthetic persons are the same on every machine
 * and a run with faults can be replayed from its seed. Not for anything secret.
 */
export type Random = () => number;

// The same generator the reviewer draws use; one implementation for the whole project.
export { mulberry32 } from '../shared/review/prng';

/** Mixes two integers into one seed (for "person i of seed s"). */
export function mixSeed(a: number, b: number): number {
  let h = Math.imul((a >>> 0) ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (b >>> 0) ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

export function intBetween(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}
