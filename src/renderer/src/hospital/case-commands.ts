/**
 * What the desk shows of a case whose state rests on a command the server has not answered yet
 * (or refused). A command's effect is applied to the desk's copy at once (desk-commands.ts), so a
 * conclusion made while cut off from the server already reads as decided there; until the server
 * has applied the command, every place that shows the case's state says it waits for the server,
 * and, when the server refused it, says so with the reason.
 *
 * The desk's commands not yet settled are few (what one desk did since its last contact with the
 * server, and refusals nobody has read yet): one indexed read of them gives a map by case that
 * lists and pages look rows up in, never a query per row.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { commandIds } from '../../../shared/cases/context';
import { commandLabels, type CommandKind } from '../../../shared/hospital/commands';
import { getDb } from '../db/db';
import type { DeskCommand } from './desk-commands';

/** The command kinds whose effect changes where a case stands (its status, stage, assignment or result). */
export const CASE_STATE_KINDS = ['case.take', 'offer.accept', 'offer.refuse', 'case.redraw', 'case.supplement-start', 'case.supplement-end', 'case.conclude'] as const satisfies readonly CommandKind[];
export type CaseStateKind = (typeof CASE_STATE_KINDS)[number];

const isCaseStateKind = (k: CommandKind): k is CaseStateKind => (CASE_STATE_KINDS as readonly CommandKind[]).includes(k);

/** Short words for a case whose command waits for the server (tags in lists and headers). */
export const AWAITING_LABELS: Record<CaseStateKind, string> = {
  'case.take': '受理申请待服务器确认',
  'offer.accept': '受理待服务器确认',
  'offer.refuse': '拒绝待服务器确认',
  'case.redraw': '重新抽取待服务器确认',
  'case.supplement-start': '暂停时限待服务器确认',
  'case.supplement-end': '恢复时限待服务器确认',
  'case.conclude': '结论待服务器确认',
};

export interface CaseAwaiting {
  caseId: string;
  /** pending: sent or waiting to be sent, not answered; refused: the server did not accept it (not yet acknowledged). */
  state: 'pending' | 'refused';
  kind: CaseStateKind;
  command: DeskCommand;
  /** What a tag says, e.g. 结论待服务器确认 or 提交审核结论未被服务器接受. */
  label: string;
  /** The server's reason for a refusal. */
  reason: string | null;
  /** Every unanswered command on the case that moves it, oldest first (this one among them when pending). */
  pending: readonly CaseAwaiting[];
}

/** Which of a case's commands speaks for its state: a pending one over a refusal, a conclusion over the rest, then the latest. */
function rank(c: DeskCommand): number {
  return (c.state === 'pending' ? 2_000_000_000 : 0) + (c.kind === 'case.conclude' ? 1_000_000_000 : 0) + c.seq;
}

function awaitingOf(caseId: string, c: DeskCommand, pending: readonly CaseAwaiting[]): CaseAwaiting {
  const kind = c.kind as CaseStateKind;
  const waiting = c.state === 'pending';
  return { caseId, state: waiting ? 'pending' : 'refused', kind, command: c, label: waiting ? AWAITING_LABELS[kind] : `${commandLabels[kind]}未被服务器接受`, reason: waiting ? null : c.reason, pending };
}

/**
 * The cases whose shown state is not the server's yet: per case, the command that speaks for it.
 * Takes pending and refused rows (acknowledged refusals and applied commands are ignored).
 */
export function caseAwaitingMap(rows: readonly DeskCommand[]): Map<string, CaseAwaiting> {
  const best = new Map<string, DeskCommand>();
  const pending = new Map<string, CaseAwaiting[]>();
  for (const c of rows) {
    if (!c.caseId || (c.state !== 'pending' && c.state !== 'refused') || !isCaseStateKind(c.kind)) continue;
    const held = best.get(c.caseId);
    if (!held || rank(c) > rank(held)) best.set(c.caseId, c);
    if (c.state === 'pending') pending.set(c.caseId, [...(pending.get(c.caseId) ?? []), awaitingOf(c.caseId, c, [])]);
  }
  const out = new Map<string, CaseAwaiting>();
  for (const [caseId, c] of best) out.set(caseId, awaitingOf(caseId, c, (pending.get(caseId) ?? []).sort((a, b) => a.command.seq - b.command.seq)));
  return out;
}

/** The compact form of a command's id that the rows a rule makes under it carry (shared/cases/context.ts commandIds). */
const idBase = (commandId: string) => {
  const sample = commandIds(commandId)('x');
  return sample.slice('x-'.length, sample.lastIndexOf('-'));
};

/** Whether a row (by its id, or an id derived from it) was made on this desk by the command. */
export const madeByCommand = (a: Pick<CaseAwaiting, 'command'>, rowId: string): boolean => rowId.includes(idBase(a.command.id));

/** The assignment a command acts on (accept, refuse, conclude), if it names one. */
export const assignmentOf = (a: Pick<CaseAwaiting, 'command'>): string | null => {
  const id = (a.command.payload as { assignmentId?: unknown } | null)?.assignmentId;
  return typeof id === 'string' ? id : null;
};

/** The desk's commands not settled with the server: pending and refused (one index read; few rows). */
export function unsettledCommands(): Promise<DeskCommand[]> {
  return getDb().deskCommands.where('state').anyOf(['pending', 'refused']).toArray();
}

const EMPTY: ReadonlyMap<string, CaseAwaiting> = new Map();

/** Live: the cases on this desk whose state waits for the server or was refused by it (empty while loading). */
export function useCaseAwaiting(): ReadonlyMap<string, CaseAwaiting> {
  return useLiveQuery(async () => caseAwaitingMap(await unsettledCommands()), []) ?? EMPTY;
}

/** Live: one case's awaiting state, if any. */
export function useCaseAwaitingOf(caseId: string): CaseAwaiting | null {
  return useLiveQuery(async () => caseAwaitingMap(await getDb().deskCommands.where('caseId').equals(caseId).toArray()).get(caseId) ?? null, [caseId]) ?? null;
}
