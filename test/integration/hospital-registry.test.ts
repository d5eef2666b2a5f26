/**
 * The 认定医师库 on the hospital server, over real HTTP on both databases: the 医保办 keeps it by
 * command (registry.*), the server checks the role from the session, the draws on the server see
 * every change at once, the refusal-limit flag (002 Kaifeng: three in a row) blocks the draw until
 * the 医保办 decides, and every change reaches the other desks at their next pull. The tests run
 * in order on one hospital whose clock they move themselves.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhysicianProfile } from '../../src/shared/domain/physician';
import type { CommandKind, CommandPayload } from '../../src/shared/hospital/commands';
import { checkChar } from '../../src/shared/policy';
import { chinaDateOf } from '../../src/shared/time';
import { countRows, startHospital, type Desk, type TestHospital } from '../fixtures/hospital';
import { institution } from '../fixtures/review-packs';
import { serverTargets } from '../fixtures/server-db';

const START = new Date('2026-06-16T10:00:00+08:00');

let births = 0;
/** A new applicant each time (a valid 18-digit number), for 糖尿病 under the Kaifeng pack. */
function application(name: string): CommandPayload<'case.take'> {
  // 1950-01-01, 1951-01-01, …: a valid date of birth and a check character for each.
  const body = `140105${1950 + births}0101123`;
  births += 1;
  return { person: { certType: '01', certNo: `${body}${checkChar(body)}`, name, psnNo: null, insutype: '310', regionCode: '140105' }, diseaseCode: 'M01600', kind: 'first' };
}

interface Receipt {
  caseId: string;
  offeredTo: { id: string; name: string }[];
  unassignedReason: string | null;
}
const receiptOf = (r: { state: string; value?: unknown; reason?: string }): Receipt => {
  if (r.state !== 'applied') throw new Error(`refused: ${r.reason}`);
  return r.value as Receipt;
};

const profileInput: CommandPayload<'registry.save-profile'>['profile'] = {
  licence: 'physician',
  title: 'associate-senior',
  department: '内分泌科',
  practiceScopes: ['内科专业'],
  paymentQualifications: [{ code: 'D410200000001', from: '2020-01-01', to: null }],
};
const firstRecord = { institutionCode: institution.code!, department: '内分泌科', registeredOn: '2024-01-01', expiresOn: null };

/** The last `physicians` row a pull brought for this physician. */
const physicianRow = (changes: Awaited<ReturnType<Desk['pullAll']>>, id: string): PhysicianProfile | undefined => {
  const put = changes.filter((c) => c.table === 'physicians' && c.id === id && c.op === 'put').at(-1);
  return put && put.op === 'put' ? (put.row as unknown as PhysicianProfile) : undefined;
};

const ROLE_REFUSED = '您的角色无权执行此操作';

describe.each(serverTargets('registry_test'))('the registry kept by command on %s', (_label, target) => {
  let hosp: TestHospital;
  let office: Desk;
  /** The same 医保办 account at another desk. */
  let office2: Desk;
  let admin: Desk;
  let dr1: Desk;
  let dr2: Desk;

  beforeAll(async () => {
    hosp = await startHospital(await target(), START);
    await hosp.setting('policy.activePackId', 'kaifeng-2023');
    await hosp.setting('cases.institution', institution);
    admin = await hosp.as('admin');
    office = await hosp.as('li', 'office');
    office2 = await hosp.as('li');
    dr1 = await hosp.as('dr1', 'physician', { department: '内分泌科' });
    dr2 = await hosp.as('dr2', 'physician', { department: '内分泌科' });
    for (const d of [admin, office, office2, dr1, dr2]) await d.pullAll();
  }, 60_000);
  afterAll(async () => {
    await hosp?.close();
  });

  const later = (hours: number) => {
    hosp.clock.now = new Date(hosp.clock.now.getTime() + hours * 3_600_000);
  };
  const take = async (name: string) => receiptOf(await office.send('case.take', application(name)));
  /** The open offers on the case, as the server holds them. */
  const offerOn = async (caseId: string) =>
    ((await hosp.server.db.orm.execute(sql`select id from records where tbl = 'assignments' and data ->> 'caseId' = ${caseId} and data ->> 'state' = 'offered'`)) as { rows: { id: string }[] }).rows.map((r) => r.id);
  /** The open offers made to the physician. */
  const offersTo = async (reviewerId: string) =>
    ((await hosp.server.db.orm.execute(sql`select id from records where tbl = 'assignments' and data ->> 'reviewerId' = ${reviewerId} and data ->> 'state' = 'offered'`)) as { rows: { id: string }[] }).rows.map((r) => r.id);
  const serverProfile = async (id: string) =>
    ((await hosp.server.db.orm.execute(sql`select data from records where tbl = 'physicians' and id = ${id}`)) as { rows: { data: PhysicianProfile }[] }).rows[0]?.data;
  const auditOf = async (subject: string) =>
    ((await hosp.server.db.orm.execute(sql`select kind, actor_id, detail from audit where subject = ${subject} and kind like 'physician.%' order by seq`)) as { rows: { kind: string; actor_id: string | null; detail: Record<string, unknown> }[] }).rows;
  /** Why the server's last draw for the case found nobody: each matching physician's codes. */
  const ineligibleAt = async (caseId: string) => {
    const rows = ((await hosp.server.db.orm.execute(sql`select detail from audit where subject = ${caseId} and kind = 'case.unassigned' order by seq desc limit 1`)) as { rows: { detail: { draw: { ineligible: { id: string; codes: string[] }[] } } }[] }).rows;
    return rows[0]?.detail.draw.ineligible;
  };
  /** Takes a case, which is offered to dr1, and dr1 refuses it: one refusal in their streak. */
  const refusedByDr1 = async (name: string) => {
    const r = await take(name);
    expect(r.offeredTo.map((o) => o.id)).toEqual([dr1.userId]);
    const [offer] = await offerOn(r.caseId);
    expect(await dr1.send('offer.refuse', { assignmentId: offer!, reason: '本周外出进修' })).toMatchObject({ state: 'applied' });
    return r.caseId;
  };

  it('a physician’s registry command is refused with the role reason, whatever it asks', async () => {
    const asks: { [K in Extract<CommandKind, `registry.${string}`>]: CommandPayload<K> } = {
      'registry.save-profile': { physicianId: dr1.userId, profile: profileInput },
      'registry.add-record': { physicianId: dr1.userId, record: firstRecord },
      'registry.invalidate-record': { physicianId: dr1.userId, index: 0, invalidOn: '2026-06-16', reason: '调离' },
      'registry.clear-flag': { physicianId: dr1.userId, reason: '已核实' },
      'registry.revoke-for-flag': { physicianId: dr1.userId, reason: '无正当理由' },
    };
    for (const [kind, payload] of Object.entries(asks)) {
      expect(await dr1.send(kind as 'registry.clear-flag', payload as CommandPayload<'registry.clear-flag'>), kind).toMatchObject({ state: 'refused', reason: ROLE_REFUSED });
    }
    expect(await countRows(hosp.server, 'physicians')).toBe(0);
  });

  it('the 医保办 registers a profile and a record by command: every desk gets the row, and the next draw finds the physician', async () => {
    const before = await take('林演示');
    expect(before).toMatchObject({ offeredTo: [], unassignedReason: expect.any(String) });

    expect(await office.send('registry.add-record', { physicianId: dr1.userId, record: firstRecord })).toMatchObject({ state: 'refused', reason: '请先建立该医师的认定医师资料' });
    expect(await office.send('registry.save-profile', { physicianId: dr1.userId, profile: { ...profileInput, department: ' ' } })).toMatchObject({ state: 'refused', reason: '请填写科室' });
    expect(await office.send('registry.save-profile', { physicianId: office.userId, profile: profileInput })).toMatchObject({ state: 'refused', reason: '账户“用户li”不是认定医师角色' });
    expect(await office.send('registry.save-profile', { physicianId: dr1.userId, profile: profileInput })).toMatchObject({ state: 'applied', value: { id: dr1.userId, name: '用户dr1', registry: [] } });
    expect(await office.send('registry.add-record', { physicianId: dr1.userId, record: firstRecord })).toMatchObject({ state: 'applied' });
    expect(await office.send('registry.add-record', { physicianId: dr1.userId, record: { ...firstRecord, registeredOn: '2025-01-01' } })).toMatchObject({
      state: 'refused',
      reason: expect.stringContaining('仍然有效的记录重叠'),
    });
    // An administrator may keep the registry too.
    expect(await admin.send('registry.save-profile', { physicianId: dr2.userId, profile: { ...profileInput, department: '心血管内科' } })).toMatchObject({ state: 'applied' });

    for (const d of [office2, dr1, dr2]) {
      const row = physicianRow(await d.pullAll(), dr1.userId);
      expect(row, 'the profile reached the desk').toMatchObject({ name: '用户dr1', department: '内分泌科', registry: [{ institutionCode: institution.code, registeredOn: '2024-01-01', invalidOn: null }], flag: null });
    }
    expect((await auditOf(dr1.userId)).map((e) => [e.kind, e.actor_id])).toEqual([
      ['physician.profile.saved', office.userId],
      ['physician.registry.added', office.userId],
    ]);

    const after = await take('周演示');
    expect(after.offeredTo).toEqual([{ id: dr1.userId, name: '用户dr1' }]);
    expect(receiptOf(await office.send('case.redraw', { caseId: before.caseId })).offeredTo.map((o) => o.id)).toEqual([dr1.userId]);
    for (const caseId of [before.caseId, after.caseId]) expect(await dr1.send('offer.accept', { assignmentId: (await offerOn(caseId))[0]! })).toMatchObject({ state: 'applied' });
  });

  it('three refusals in a row flag the physician (Kaifeng); the flag blocks the draw until the 医保办 clears it with a reason', async () => {
    later(1);
    await refusedByDr1('吴演示');
    await refusedByDr1('郑演示');
    expect((await serverProfile(dr1.userId))!.flag).toBeNull();
    await refusedByDr1('冯演示');
    const flagged = physicianRow(await office2.pullAll(), dr1.userId);
    expect(flagged?.flag).toMatchObject({ kind: 'refusal-limit', streak: 3 });

    const blocked = await take('陈演示');
    expect(blocked).toMatchObject({ offeredTo: [], unassignedReason: '符合条件的认定医师不足：需要 1 名，仅有 0 名' });
    expect(await ineligibleAt(blocked.caseId)).toEqual([{ id: dr1.userId, codes: ['refusal-limit'] }]);

    later(1);
    expect(await office.send('registry.clear-flag', { physicianId: dr1.userId, reason: '  ' })).toMatchObject({ state: 'refused', reason: '请填写解除标记的理由' });
    expect(await office.send('registry.clear-flag', { physicianId: dr2.userId, reason: '已核实' })).toMatchObject({ state: 'refused', reason: '该医师没有待处理的标记' });
    expect(await office.send('registry.clear-flag', { physicianId: dr1.userId, reason: '三次均因外出进修，已核实' })).toMatchObject({ state: 'applied' });
    for (const d of [office2, dr1]) {
      expect(physicianRow(await d.pullAll(), dr1.userId), 'the cleared flag reached the desk').toMatchObject({ flag: null, streakFrom: hosp.clock.now.toISOString() });
    }
    const cleared = (await auditOf(dr1.userId)).find((e) => e.kind === 'physician.flag.cleared');
    expect(cleared).toMatchObject({ actor_id: office.userId, detail: { reason: '三次均因外出进修，已核实', flag: { streak: 3 } } });

    const redraw = receiptOf(await office.send('case.redraw', { caseId: blocked.caseId }));
    expect(redraw.offeredTo.map((o) => o.id)).toEqual([dr1.userId]);
  });

  it('after a cleared flag the streak starts again; a new flag can end the records in force (取消认定资格)', async () => {
    later(1);
    // The refusal of the redrawn case is the first of a new streak, not the fourth of the old one.
    const open = await offersTo(dr1.userId);
    expect(open).toHaveLength(1);
    expect(await dr1.send('offer.refuse', { assignmentId: open[0]!, reason: '回避' })).toMatchObject({ state: 'applied' });
    expect((await serverProfile(dr1.userId))!.flag).toBeNull();
    await refusedByDr1('褚演示');
    await refusedByDr1('卫演示');
    expect((await serverProfile(dr1.userId))!.flag).toMatchObject({ streak: 3 });

    expect(await office.send('registry.revoke-for-flag', { physicianId: dr1.userId, reason: '' })).toMatchObject({ state: 'refused', reason: '请填写取消认定资格的说明' });
    expect(await office.send('registry.revoke-for-flag', { physicianId: dr1.userId, reason: '经核实无正当理由' })).toMatchObject({ state: 'applied', value: { invalidated: 1 } });
    const today = chinaDateOf(hosp.clock.now);
    const row = physicianRow(await dr1.pullAll(), dr1.userId);
    expect(row).toMatchObject({ flag: null, registry: [{ invalidOn: today, invalidReason: '连续 3 次不受理或拒绝受理：经核实无正当理由' }] });

    const none = await take('蒋演示');
    expect(none).toMatchObject({ offeredTo: [], unassignedReason: expect.any(String) });
    expect(await ineligibleAt(none.caseId)).toEqual([{ id: dr1.userId, codes: ['registry-invalid'] }]);
  });

  it('a record is dated invalid only once, with a reason; a renewal makes the physician drawable again', async () => {
    later(1);
    const today = chinaDateOf(hosp.clock.now);
    expect(await office.send('registry.invalidate-record', { physicianId: dr1.userId, index: 0, invalidOn: today, reason: '调离' })).toMatchObject({ state: 'refused', reason: `该记录已于 ${today} 失效` });
    expect(await office.send('registry.invalidate-record', { physicianId: dr1.userId, index: 7, invalidOn: today, reason: '调离' })).toMatchObject({ state: 'refused', reason: '该认定医师库记录不存在' });
    expect(await office.send('registry.add-record', { physicianId: dr1.userId, record: { ...firstRecord, registeredOn: today, expiresOn: '2028-06-30' } })).toMatchObject({ state: 'applied' });
    const drawn = await take('沈演示');
    expect(drawn.offeredTo.map((o) => o.id)).toEqual([dr1.userId]);

    expect(await office.send('registry.invalidate-record', { physicianId: dr1.userId, index: 1, invalidOn: '2028-01-01', reason: ' 合同到期前调离 ' })).toMatchObject({ state: 'applied', value: { invalidOn: '2028-01-01', invalidReason: '合同到期前调离' } });
    const row = physicianRow(await office2.pullAll(), dr1.userId);
    expect(row?.registry.map((r) => [r.registeredOn, r.invalidOn])).toEqual([
      ['2024-01-01', today],
      [today, '2028-01-01'],
    ]);
    // A physician's desk cannot undo it.
    expect(await dr1.send('registry.add-record', { physicianId: dr1.userId, record: { ...firstRecord, registeredOn: '2028-01-01', expiresOn: null } })).toMatchObject({ state: 'refused', reason: ROLE_REFUSED });
  });
});
