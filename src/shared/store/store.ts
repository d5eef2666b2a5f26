/**
 * The case records as one set of tables, whoever holds them: the hospital server (PostgreSQL,
 * authoritative) or a desk (IndexedDB, its share). The rules that change cases (draws, offers,
 * lapses, intake, conclusions) are written once against `Store`, so the server applies them for
 * real and a desk can run the same code on its own copy (architecture.md §10). Every call happens
 * inside one transaction the caller opened; an implementation never commits half of it.
 */
import type { AuditEvent } from '../audit/chain';
import type { CaseRow } from '../domain/case';
import type { Certification } from '../domain/certification';
import type { InsuredPerson } from '../domain/insured';
import type { Material, OutsideResult } from '../domain/material';
import type { PhysicianProfile } from '../domain/physician';
import type { Recognition } from '../domain/recognition';
import type { Assignment, Review } from '../domain/review';
import type { WorkItem } from '../domain/work-item';

/** Each table's row type. Every row has a string `id`. */
export interface TableRows {
  persons: InsuredPerson;
  cases: CaseRow;
  workItems: WorkItem;
  assignments: Assignment;
  reviews: Review;
  materials: Material;
  outsideResults: OutsideResult;
  recognitions: Recognition;
  certifications: Certification;
  physicians: PhysicianProfile;
}
export type TableName = keyof TableRows;

export const TABLE_NAMES = [
  'persons',
  'cases',
  'workItems',
  'assignments',
  'reviews',
  'materials',
  'outsideResults',
  'recognitions',
  'certifications',
  'physicians',
] as const satisfies readonly TableName[];

/**
 * The fields a rule may look rows up by (equality). Both implementations index exactly these, so a
 * lookup never walks a whole table; anything else is filtered in code after one of these.
 */
export const LOOKUP_FIELDS = {
  persons: ['certNo', 'psnNo'],
  cases: ['personId', 'certNo', 'status'],
  workItems: ['caseId', 'assigneeId'],
  assignments: ['caseId', 'reviewerId', 'state'],
  reviews: ['caseId', 'reviewerId'],
  materials: ['caseId', 'personId', 'sha256'],
  outsideResults: ['caseId'],
  recognitions: ['caseId', 'resultId'],
  certifications: ['caseId', 'personId', 'state'],
  physicians: ['department'],
} as const satisfies { [T in TableName]: readonly (keyof TableRows[T] & string)[] };

export type LookupField<T extends TableName> = (typeof LOOKUP_FIELDS)[T][number];

export interface Store {
  get<T extends TableName>(table: T, id: string): Promise<TableRows[T] | undefined>;
  /** In the order of `ids`; undefined where a row is missing. */
  getMany<T extends TableName>(table: T, ids: readonly string[]): Promise<(TableRows[T] | undefined)[]>;
  /** Rows whose `field` equals any of `values` (no order promised). */
  find<T extends TableName>(table: T, field: LookupField<T>, values: readonly string[]): Promise<TableRows[T][]>;
  /** Every row of a small table (the physician registry). */
  all<T extends 'physicians'>(table: T): Promise<TableRows[T][]>;
  put<T extends TableName>(table: T, row: TableRows[T]): Promise<void>;
  delete<T extends TableName>(table: T, id: string): Promise<void>;
  /** Appends to the audit chain in the same transaction. */
  audit(event: AuditEvent): Promise<void>;
  /**
   * The seq of the chain's last entry (null while it is empty): right after `audit`, the entry
   * just appended, which a review records as the one that seals it.
   */
  lastAuditSeq(): Promise<number | null>;
  /**
   * Offers still `offered` whose acceptance window closed at or before `now`, earliest `acceptBy`
   * first, at most `limit` (the lapse sweep's batch). Offers without a window never appear.
   */
  offersDue(now: Date, limit: number): Promise<Assignment[]>;
}
