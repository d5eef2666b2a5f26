import type Dexie from 'dexie';

/**
 * The database's versions, oldest first. Never edit a published version: add the next one, with an
 * upgrade function when stored rows must change shape. Each feature's tables are declared here so
 * there is one place to read the whole schema. (Dexie keeps only the indexes here; rows hold more.)
 */
export function applySchema(db: Dexie): void {
  // v1 — accounts (issue 2, first cut).
  db.version(1).stores({
    users: 'id, username',
    settings: 'key',
  });

  // v2 — unique case-insensitive login names, role index, and the audit chain.
  db.version(2)
    .stores({
      users: 'id, &username, role',
      settings: 'key',
      audit: 'seq, kind, at',
    })
    .upgrade(async (tx) => {
      await tx
        .table('users')
        .toCollection()
        .modify((user: Record<string, unknown>) => {
          user['username'] = String(user['username']).trim().toLowerCase();
          user['disabled'] ??= false;
          user['createdBy'] ??= null;
        });
    });

  // v3 — the outbox (issue 5): one row per platform message, indexed by state for the counts, by
  // [lane+seq] for a person's items in order and by [due+lane] for what the runner may send next;
  // attachments' bytes in their own table, by content hash.
  db.version(3).stores({
    users: 'id, &username, role',
    settings: 'key',
    audit: 'seq, kind, at',
    outbox: 'id, &seq, status, [lane+seq], [due+lane]',
    attachments: 'id, sha256',
  });

  // v4 — cases (issue 6). The worklist reads `workItems` (one row per open assignment, so a 终审
  // with two reviewers is two rows) through [assigneeId+…+deadlineAt]: already sorted by deadline,
  // never walking closed history. Names and numbers are indexed for search in every list; a
  // material's bytes stay in `attachments`; assignments keep each draw's seed and candidates.
  db.version(4).stores({
    users: 'id, &username, role',
    settings: 'key',
    audit: 'seq, kind, at',
    outbox: 'id, &seq, status, [lane+seq], [due+lane]',
    attachments: 'id, sha256',
    persons: 'id, certNo, psnNo, name',
    cases: 'id, personId, [status+deadlineAt], diseaseCode, certNo, psnNo, personName, receivedOn',
    workItems:
      'id, caseId, [assigneeId+deadlineAt], [assigneeId+stage+deadlineAt], [assigneeId+diseaseCode+deadlineAt], [assigneeId+state+deadlineAt], certNo, psnNo, personName',
    assignments: 'id, caseId, [reviewerId+offeredAt], [state+acceptBy]',
    reviews: 'id, caseId, [reviewerId+at]',
    materials: 'id, caseId, personId, sha256',
    outsideResults: 'id, caseId',
    recognitions: 'id, caseId, resultId, [physicianId+at], [department+at]',
    certifications: 'id, caseId, personId, state, reReviewDueOn',
    physicians: 'id, department',
  });

  // v5 — deadlines that wait for a holiday calendar: cases and work items record the year they
  // wait for (dueAwaits) and whether their date rests on a provisional year. Rows from v4 get the
  // defaults; the first start then counts again any open deadline stored as missing
  // (features/cases/deadline-refresh.ts), since v4 wrote "no deadline" for "no calendar yet".
  db.version(5)
    .stores({})
    .upgrade(async (tx) => {
      const fill = (row: Record<string, unknown>) => {
        row['dueAwaits'] ??= null;
        row['dueProvisional'] ??= false;
      };
      await tx.table('cases').toCollection().modify(fill);
      await tx.table('workItems').toCollection().modify(fill);
    });

  // v6 — the case rules run over one storage interface (src/shared/store/store.ts), which looks
  // rows up by its LOOKUP_FIELDS. Each is the first part of an index already, except an
  // assignment's state: [state+acceptBy] leaves out offers without an acceptance window (the
  // 医保办's queue, chains without one), so `state` gets its own index.
  db.version(6).stores({
    assignments: 'id, caseId, state, [reviewerId+offeredAt], [state+acceptBy]',
  });

  // v7 — the desk's outbox of commands to the hospital server (hospital/desk-commands.ts): in
  // order by seq, a user's pending ones by [userId+state], refused ones for the 同步 page; and the
  // refused decisions the 医保办 resolves (conflicts, pulled from the server).
  db.version(7).stores({
    deskCommands: 'id, &seq, state, [userId+state], caseId',
    conflicts: 'id, caseId',
  });

  // v8 — filing moves to the hospital server, which keeps the platform outbox: the 医保办's desks
  // pull what became of each message (`filings`, by batch, certification, phase and person) and
  // the batches they were submitted in (`filingBatches`, newest first by createdAt).
  db.version(8).stores({
    filings: 'id, batchId, certificationId, phase, psnNo, updatedAt',
    filingBatches: 'id, createdAt',
  });
}

export const DB_NAME = 'opsp-workstation';
