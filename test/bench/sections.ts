/**
 * Every benchmark section, in the order they run. A later issue adds its section here; nothing
 * else in the runner changes.
 */
import { enqueueDurability } from './enqueue-durability';
import type { BenchSection } from './section';
import { syncThroughput } from './sync-throughput';
import { worklistBench } from './worklist';

export const sections: BenchSection[] = [enqueueDurability, syncThroughput, worklistBench];
