/**
 * Synthetic insured persons, invented and deterministic: person i is the same on every machine
 * and for every `--seed-persons n` ≥ i, so tests and training rooms can name people by index.
 * ID numbers carry a valid GB 11643 check character but are made up; names come from common
 * characters. None of this is anyone's personal data.
 */
import { checkChar } from '../shared/policy/cert-no';

export { DEFAULT_PERSON_SEED, syntheticPerson, type SyntheticPerson } from '../shared/demo/population';

/** GB 11643-1999 check character of the first 17 digits (the policy engine's, one way to do it). */
export const idCheckChar = checkChar;

export function isValidIdNumber(id: string): boolean {
  return /^\d{17}[\dX]$/.test(id) && idCheckChar(id.slice(0, 17)) === id[17];
}

/** Age in whole years on a China date (yyyy-MM-dd). */
export function ageOn(brdy: string, on: string): number {
  const [by, bm, bd] = brdy.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
