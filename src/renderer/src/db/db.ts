import Dexie, { type Table } from 'dexie';
import type { AuditEntry } from '../../../shared/audit/chain';
import type { CaseRow } from '../../../shared/domain/case';
import type { Certification } from '../../../shared/domain/certification';
import type { InsuredPerson } from '../../../shared/domain/insured';
import type { Material, OutsideResult } from '../../../shared/domain/material';
import type { PhysicianProfile } from '../../../shared/domain/physician';
import type { Recognition } from '../../../shared/domain/recognition';
import type { Assignment, Review } from '../../../shared/domain/review';
import type { User } from '../../../shared/domain/user';
import type { WorkItem } from '../../../shared/domain/work-item';
import type { OutboxItem } from '../../../shared/sync/outbox-item';
import type { AttachmentRow } from '../sync/attachments-store';
import type { DeskCommand } from '../hospital/desk-commands';
import type { ConflictRow } from '../../../shared/hospital/protocol';
import type { FilingBatchRow, FilingRow } from '../../../shared/hospital/filings';
import { applySchema, DB_NAME } from './schema';

export interface SettingRow {
  key: string;
  value: unknown;
}

/**
 * The workstation's one database. Every transaction is committed with strict durability: Chromium
 * has defaulted to relaxed since 121, which can lose an acknowledged write on power loss.
 */
export class WorkstationDb extends Dexie {
  users!: Table<User, string>;
  settings!: Table<SettingRow, string>;
  audit!: Table<AuditEntry, number>;
  outbox!: Table<OutboxItem, string>;
  attachments!: Table<AttachmentRow, string>;
  persons!: Table<InsuredPerson, string>;
  cases!: Table<CaseRow, string>;
  workItems!: Table<WorkItem, string>;
  assignments!: Table<Assignment, string>;
  reviews!: Table<Review, string>;
  materials!: Table<Material, string>;
  outsideResults!: Table<OutsideResult, string>;
  recognitions!: Table<Recognition, string>;
  certifications!: Table<Certification, string>;
  physicians!: Table<PhysicianProfile, string>;
  deskCommands!: Table<DeskCommand, string>;
  conflicts!: Table<ConflictRow, string>;
  /** The server's platform messages for the 医保办 (pulled, the office's share). */
  filings!: Table<FilingRow, string>;
  filingBatches!: Table<FilingBatchRow, string>;

  constructor(name: string = DB_NAME) {
    super(name, { chromeTransactionDurability: 'strict' });
    applySchema(this);
  }
}

let instance: WorkstationDb | undefined;

/** The one way to open the database. */
export function getDb(): WorkstationDb {
  return (instance ??= new WorkstationDb());
}

/** Asks the browser not to evict our data under storage pressure; answers whether it agreed. */
export async function requestPersistentStorage(): Promise<boolean> {
  if (!navigator.storage?.persist) return false;
  if (await navigator.storage.persisted()) return true;
  return navigator.storage.persist();
}

export async function getSetting<T>(db: WorkstationDb, key: string, fallback: T): Promise<T> {
  const row = await db.settings.get(key);
  return row ? (row.value as T) : fallback;
}

export async function putSetting(db: WorkstationDb, key: string, value: unknown): Promise<void> {
  await db.settings.put({ key, value });
}
