/**
 * Who holds what, settled after a transaction's writes, for every case and person it touched at
 * once (a fixed number of statements however many). A case is held by the 医保办's desks and by
 * the physicians with an open offer or assignment on it, and, until it is decided, by those who
 * already concluded a stage of it (they follow it to its decision); a refusal or a lapse ends a
 * physician's share at once. A person is held by the desks of any of their cases.
 *
 * When any row of a case's or person's scope is not held by exactly the wanted shares, every row
 * of the scope takes them and a new change sequence number, so a desk that starts holding it gets
 * all of it; a desk that stops gets a removal of the case or person.
 */
import { sql } from 'drizzle-orm';
import { OFFICE_ASSIGNEE } from '../shared/domain/work-item';
import { OFFICE_SHARE, physicianShare } from '../shared/hospital/protocol';
import type { Orm } from './database';
import { rowsOf } from './rows';

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

interface ScopeRow {
  scope: string;
  tbl: string;
  id: string;
  person: string | null;
  status: string | null;
  reviewer: string | null;
  state: string | null;
  shares: string[];
}

/**
 * The desks that hold a case: the 医保办's, and the physicians with an open offer or assignment on
 * it, or (until it is decided) a completed one. `status` undefined: the case row is gone.
 */
export function caseShares(status: string | null | undefined, assignments: readonly { reviewer: string | null; state: string | null }[]): string[] {
  const states = status !== undefined && status !== 'decided' ? ['offered', 'accepted', 'completed'] : ['offered', 'accepted'];
  const reviewers = new Set(assignments.filter((a) => a.state !== null && states.includes(a.state) && a.reviewer !== null && a.reviewer !== OFFICE_ASSIGNEE).map((a) => a.reviewer!));
  return [OFFICE_SHARE, ...[...reviewers].map(physicianShare)].sort();
}

/** The desks that hold a person: the 医保办's and those holding any of the person's cases. */
export const personShares = (caseShareKeys: Iterable<string>): string[] => [...new Set([OFFICE_SHARE, ...caseShareKeys])].sort();

/** Settles the shares of these cases and persons (and of the persons of these cases); returns every share key whose desks should pull. */
export async function settleShares(tx: Orm, caseIds: ReadonlySet<string>, personIds: ReadonlySet<string>): Promise<Set<string>> {
  const changed = new Set<string>();
  if (caseIds.size === 0 && personIds.size === 0) return changed;
  const wanted = new Map<string, string[]>();
  const head = new Map<string, { tbl: 'cases' | 'persons'; id: string; shares: string[] | null }>();
  const scopeRows = new Map<string, ScopeRow[]>();
  const persons = new Set(personIds);

  const caseScopes = [...caseIds].map((id) => `case:${id}`);
  if (caseScopes.length) {
    const rows = rowsOf<ScopeRow>(
      await tx.execute(sql`
        select scope, tbl, id, data ->> 'personId' as person, data ->> 'status' as status, data ->> 'reviewerId' as reviewer, data ->> 'state' as state, shares
        from records where scope = any(${sql.param(caseScopes)}::text[])`),
    );
    for (const r of rows) push(scopeRows, r.scope, r);
    for (const caseId of caseIds) {
      const scope = `case:${caseId}`;
      const inScope = scopeRows.get(scope) ?? [];
      const c = inScope.find((r) => r.tbl === 'cases');
      if (c?.person) persons.add(c.person);
      wanted.set(scope, caseShares(c ? c.status : undefined, inScope.filter((r) => r.tbl === 'assignments')));
      head.set(scope, { tbl: 'cases', id: caseId, shares: c?.shares ?? null });
    }
  }

  if (persons.size) {
    const ids = [...persons];
    const personScopes = ids.map((id) => `person:${id}`);
    const rows = rowsOf<ScopeRow & { kind: 'scope' | 'case' }>(
      await tx.execute(sql`
        select 'scope' as kind, scope, tbl, id, null as person, null as status, null as reviewer, null as state, shares
        from records where scope = any(${sql.param(personScopes)}::text[])
        union all
        select 'case' as kind, 'case:' || id as scope, tbl, id, data ->> 'personId' as person, null, null, null, shares
        from records where tbl = 'cases' and data ->> 'personId' = any(${sql.param(ids)}::text[])`),
    );
    const held = new Map<string, Set<string>>();
    for (const r of rows) {
      if (r.kind === 'scope') push(scopeRows, r.scope, r);
      else {
        // A case settled above holds what it will hold, not what the table says yet.
        const shares = wanted.get(r.scope) ?? r.shares;
        const set = held.get(r.person!) ?? new Set<string>();
        for (const s of shares) set.add(s);
        held.set(r.person!, set);
      }
    }
    for (const id of ids) {
      const scope = `person:${id}`;
      wanted.set(scope, personShares(held.get(id) ?? []));
      head.set(scope, { tbl: 'persons', id, shares: (scopeRows.get(scope) ?? []).find((r) => r.tbl === 'persons')?.shares ?? null });
    }
  }

  const stale: { scope: string; shares: string[] }[] = [];
  const removals: { tbl: string; id: string; shares: string[] }[] = [];
  for (const [scope, shares] of wanted) {
    const rows = scopeRows.get(scope) ?? [];
    if (!rows.some((r) => !sameSet(r.shares, shares))) continue;
    stale.push({ scope, shares });
    for (const s of shares) changed.add(s);
    const h = head.get(scope)!;
    const previous = h.shares ?? [];
    const left = previous.filter((s) => !shares.includes(s));
    if (left.length) removals.push({ tbl: h.tbl, id: h.id, shares: left });
  }
  if (stale.length) {
    await tx.execute(sql`
      update records r set shares = x.shares, seq = nextval('change_seq')
      from jsonb_to_recordset(${JSON.stringify(stale)}::jsonb) as x(scope text, shares text[])
      where r.scope = x.scope`);
  }
  if (removals.length) {
    await insertRemovals(tx, removals);
    for (const r of removals) for (const s of r.shares) changed.add(s);
  }
  return changed;
}

/** Records that rows left these shares (one statement, in the order given). */
export async function insertRemovals(tx: Orm, removals: readonly { tbl: string; id: string; shares: readonly string[] }[]): Promise<void> {
  const rows = removals.filter((r) => r.shares.length > 0);
  if (!rows.length) return;
  await tx.execute(sql`
    insert into removals (seq, tbl, id, shares)
    select nextval('change_seq'), x.tbl, x.id, x.shares
    from jsonb_to_recordset(${JSON.stringify(rows.map((r, ord) => ({ ...r, ord })))}::jsonb) as x(tbl text, id text, shares text[], ord int)
    order by x.ord`);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
