/**
 * Every benchmark section, in the order they run. A later issue adds its section here; nothing
 * else in the runner changes.
 */
import { deskHint } from './desk-hint';
import { deskLoad } from './desk-load';
import { deskPull } from './desk-pull';
import { deskPush } from './desk-push';
import { enqueueDurability } from './enqueue-durability';
import type { BenchSection } from './section';
import { syncThroughput } from './sync-throughput';
import { worklistBench } from './worklist';

export const sections: BenchSection[] = [enqueueDurability, syncThroughput, worklistBench, deskPull, deskPush, deskHint, deskLoad];
