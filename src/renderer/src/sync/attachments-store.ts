import { sha256Bytes } from '../../../shared/hash/sha256';
import type { WorkstationDb } from '../db/db';

/**
 * Attachments (scans, reports) live in their own table as Blobs with their SHA-256; outbox items
 * refer to them by id and hash and never carry the bytes. Expensify's queue broke when files were
 * stored inside queue records (huge rows, `InvalidBlob`), architecture.md §6.
 */
export interface AttachmentRow {
  id: string;
  /** SHA-256 of the bytes, lowercase hex: the same scan stored twice is one row. */
  sha256: string;
  name: string;
  type: string;
  size: number;
  blob: Blob;
  createdAt: string;
}

/** SHA-256 of a Blob: WebCrypto where there is one (fast, native), the shared pure version otherwise. */
export async function blobSha256(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return sha256Bytes(bytes);
  const digest = new Uint8Array(await subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Stores a file's bytes (once per content) and answers its row. The hash is computed before the
 * transaction opens: an awaited digest inside it would let IndexedDB commit early.
 */
export async function saveAttachment(db: WorkstationDb, blob: Blob, name: string, now = new Date()): Promise<AttachmentRow> {
  const sha256 = await blobSha256(blob);
  return db.transaction('rw', db.attachments, async () => {
    const existing = await db.attachments.where('sha256').equals(sha256).first();
    if (existing) return existing;
    const row: AttachmentRow = {
      id: `att-${globalThis.crypto.randomUUID()}`,
      sha256,
      name,
      type: blob.type || 'application/octet-stream',
      size: blob.size,
      blob,
      createdAt: now.toISOString(),
    };
    await db.attachments.add(row);
    return row;
  });
}

/** Base64 of bytes, in slices so a 15 MB scan does not overflow the argument list. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * An attachment's bytes as base64 (how 9101 carries them), or undefined when the row is gone or its
 * bytes no longer match the recorded hash — a damaged scan must not be uploaded as if it were whole.
 */
export async function attachmentBase64(db: WorkstationDb, id: string, expectedSha256?: string): Promise<string | undefined> {
  const row = await db.attachments.get(id);
  if (!row) return undefined;
  if (expectedSha256 && (await blobSha256(row.blob)) !== expectedSha256) return undefined;
  return toBase64(new Uint8Array(await row.blob.arrayBuffer()));
}
