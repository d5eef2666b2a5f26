import { describe, expect, it } from 'vitest';
import y2026 from '../../../resources/calendars/2026.json';
import menteJson from '../../../resources/policy/mente-qualification-54.json';
import shanxiJson from '../../../resources/policy/shanxi-2025.json';
import { loadCalendar } from './calendar';
import { parsePolicyPack, type PolicyPack } from './index';
import { publicationDeadline, qualificationDeadlines, qualificationRights } from './qualification';

function load(json: unknown): PolicyPack {
  const r = parsePolicyPack(json);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.pack;
}
const mente = load(menteJson);
const cal = (() => {
  const r = loadCalendar([y2026]);
  if (!r.ok) throw new Error(r.errors.join());
  return r.calendar;
})();
const code = (name: string) => mente.diseases.find((d) => d.name === name)!.code;

describe('qualificationRights (003 第五条)', () => {
  it('003: certification rights bring treatment rights with them', () => {
    const { rights, errors } = qualificationRights(mente, [
      { code: code('糖尿病'), certify: true, treat: false },
      { code: code('血友病'), certify: false, treat: true },
      { code: 'M99999', certify: true, treat: true },
    ]);
    expect(errors).toEqual(['病种代码 M99999 不在申请表中']);
    expect(rights).toEqual([
      { code: 'M01600', name: '糖尿病', certify: true, treat: true, treatImplied: true, notOffered: [] },
      { code: 'M01200', name: '血友病', certify: false, treat: true, treatImplied: false, notOffered: [] },
    ]);
  });

  it('a right the form does not offer is flagged', () => {
    const narrowed: PolicyPack = { ...mente, diseases: mente.diseases.map((d) => (d.name === '艾滋病' ? { ...d, rights: { certify: false, treat: true } } : d)) };
    const { rights } = qualificationRights(narrowed, [{ code: code('艾滋病'), certify: true, treat: false }]);
    expect(rights[0]?.notOffered).toEqual(['certify']);
  });
});

describe('qualificationDeadlines (003 第七、八条)', () => {
  it('003: notice within 5, review within 30, evaluation within 60 working days, supplements excluded', () => {
    const r = qualificationDeadlines(mente, cal, '2026-03-02', [{ from: '2026-03-05', to: '2026-03-11' }]);
    expect(r).toMatchObject({
      completionNotice: { ok: true, date: '2026-03-09' },
      review: { ok: true, date: '2026-04-14' },
      evaluation: { ok: true, date: '2026-06-04' },
      sources: { completionNotice: '003', review: '003', evaluation: '003' },
    });
    // Without the supplement the evaluation ends five working days earlier.
    expect(qualificationDeadlines(mente, cal, '2026-03-02')?.evaluation).toMatchObject({ date: '2026-05-28' }); // 05-01..05 off, Saturday 05-09 worked
  });

  it('003: the list is published within 3 working days of the agreement (a holiday in between)', () => {
    expect(publicationDeadline(mente, cal, '2026-09-30')).toMatchObject({ ok: true, date: '2026-10-10' });
  });

  it('packs without the procedure answer null', () => {
    const shanxi = load(shanxiJson);
    expect(qualificationDeadlines(shanxi, cal, '2026-03-02')).toBeNull();
    expect(publicationDeadline(shanxi, cal, '2026-03-02')).toBeNull();
  });
});
