/**
 * An invented roster of certifying physicians covering the pack's departments: two per
 * department in a chain (000: at most 2), five where experts are drawn at random (002 needs one
 * 初审, two 终审 and maybe a third, all different), with a few who may not certify — an assistant physician, an
 * expired registry record, a lapsed payment qualification — so the draw's exclusions show.
 */
import type { PhysicianProfile } from '../domain/physician';
import type { PolicyPack } from '../policy/schema';
import { mulberry32 } from '../review/prng';
import { demoName } from './people';

export function demoPhysicians(pack: PolicyPack, institutionCode: string, seed: number, at: string): PhysicianProfile[] {
  const next = mulberry32(seed);
  const departments = [...new Set(pack.diseases.flatMap((d) => d.departments.value))].sort();
  const out: PhysicianProfile[] = [];
  const per = pack.process.kind === 'random' ? 5 : 2;
  departments.forEach((department, i) => {
    for (let k = 0; k < per; k++) {
      const n = i * per + k + 1;
      const id = `demo-dr-${String(n).padStart(3, '0')}`;
      const scopes = [...new Set(pack.diseases.filter((d) => d.departments.value.includes(department)).flatMap((d) => d.practiceScopes?.value ?? []))];
      const odd = n % 11;
      out.push({
        id,
        name: demoName(next),
        licence: odd === 3 ? 'assistant' : 'physician',
        title: k === 0 ? 'senior' : 'associate-senior',
        department,
        practiceScopes: scopes.length > 0 ? scopes : ['内科专业'],
        paymentQualifications: [{ code: `D${institutionCode.slice(1, 7)}${String(n).padStart(6, '0')}`, from: '2020-01-01', to: odd === 7 ? '2024-12-31' : null }],
        registry: [
          {
            physicianId: id,
            institutionCode,
            department,
            registeredOn: '2023-01-01',
            expiresOn: odd === 5 ? '2024-12-31' : null,
            invalidOn: null,
          },
        ],
        flag: null,
        updatedAt: at,
      });
    }
  });
  return out;
}

/** The logged-in physician's own profile for demo mode: eligible, registered today's way. */
export function demoProfileFor(user: { id: string; displayName: string; department?: string | undefined }, pack: PolicyPack, institutionCode: string, at: string): PhysicianProfile {
  const department = user.department?.trim() || pack.diseases[0]!.departments.value[0]!;
  const scopes = [...new Set(pack.diseases.filter((d) => d.departments.value.includes(department)).flatMap((d) => d.practiceScopes?.value ?? []))];
  return {
    id: user.id,
    name: user.displayName,
    licence: 'physician',
    title: 'senior',
    department,
    practiceScopes: scopes.length > 0 ? scopes : ['内科专业'],
    paymentQualifications: [{ code: 'D000000000000', from: '2020-01-01', to: null }],
    registry: [{ physicianId: user.id, institutionCode, department, registeredOn: '2023-01-01', expiresOn: null, invalidOn: null }],
    flag: null,
    updatedAt: at,
  };
}
