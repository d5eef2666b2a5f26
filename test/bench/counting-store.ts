import type { OutboxItem } from '../../src/shared/sync/outbox-item';
import type { OutboxStore } from '../../src/shared/sync/ports';

/**
 * Wraps an outbox store so a benchmark sees items finish as the runner commits them (polling the
 * database would charge the poll to the runner). Used by the Node and the Chromium sync benches.
 */
export function countingStore(store: OutboxStore, onFinished: (item: OutboxItem) => void): OutboxStore {
  return {
    dueLanes: (now, want, skip) => store.dueLanes(now, want, skip),
    inState: (tag) => store.inState(tag),
    laneItems: (lane) => store.laneItems(lane),
    attachmentBase64: (id, sha) => store.attachmentBase64(id, sha),
    async commit(items) {
      const written = await store.commit(items);
      items.forEach((item, i) => {
        if (written[i] && (item.status === 'accepted' || item.status === 'rejected')) onFinished(item);
      });
      return written;
    },
  };
}
