/**
 * What a benchmark section is. Sections are listed in sections.ts; a later issue adds its own
 * there. Benchmarks report numbers, not pass/fail (architecture.md §8); a target is stated
 * beside the figure so a reader can see how far off it is.
 */
export interface BenchContext {
  /** Options from the command line, e.g. { filings: '10000' }. */
  args: Record<string, string>;
  log: (line: string) => void;
}

export interface Target {
  name: string;
  met: boolean;
  detail: string;
}

export interface SectionResult {
  /** Machine-readable figures, as written to bench.json. */
  figures: Record<string, number | string>;
  /** Markdown lines for bench.md (a table, a few sentences). */
  report: string[];
  targets: Target[];
}

export interface BenchSection {
  id: string;
  title: string;
  run(ctx: BenchContext): Promise<SectionResult>;
}

/** A number as the reports print it. */
export const fmt = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : String(n));

/** Runs `task` over `items` with at most `limit` in flight. */
export async function pool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
