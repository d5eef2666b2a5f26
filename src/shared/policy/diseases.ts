/** Looking diseases up by their national code, variants included. */
import type { Disease, PolicyPack } from './schema';

export interface DiseaseRef {
  disease: Disease;
  /** The code asked for: the disease's own code or one of its variants'. */
  code: string;
  /** The variant's name when the code is a variant's, else the disease's. */
  name: string;
  isVariant: boolean;
}

export function findDisease(pack: Pick<PolicyPack, 'diseases'>, code: string): DiseaseRef | null {
  for (const disease of pack.diseases) {
    if (disease.code === code) return { disease, code, name: disease.name, isVariant: false };
    const variant = disease.variants.find((v) => v.code === code);
    if (variant) return { disease, code, name: variant.name, isVariant: true };
  }
  return null;
}

/** A name for messages; the code itself when the pack does not know it. */
export function diseaseName(pack: Pick<PolicyPack, 'diseases'>, code: string): string {
  return findDisease(pack, code)?.name ?? code;
}

/**
 * Whether a held or applied code falls under a rule's member: the same code, or a variant of
 * the member disease (a rule naming 器官移植抗排异治疗 covers every organ; one naming the kidney
 * variant covers only that).
 */
export function codeMatches(pack: Pick<PolicyPack, 'diseases'>, member: string, code: string): boolean {
  if (member === code) return true;
  const ref = findDisease(pack, code);
  return ref !== null && ref.isVariant && ref.disease.code === member;
}
