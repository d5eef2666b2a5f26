/**
 * mulberry32: a tiny seeded generator, so that synthetic persons are the same on every machine
 * and a run with faults can be replayed from its seed. Not for anything secret.
 */
export type Random = () => number;

// One implementation for the whole project: the reviewer draws' generator and the population's helpers.
export { mulberry32 } from '../shared/review/prng';
export { mixSeed, pick } from '../shared/demo/population';
