/** An error as a sentence; a full disk is named as such, not as Dexie's bare AbortError (architecture.md §6). */
export function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const inner = (error as { inner?: { name?: string } }).inner;
  if (error.name === 'QuotaExceededError' || inner?.name === 'QuotaExceededError') return '磁盘空间不足，无法写入本地数据库';
  return error.message;
}
