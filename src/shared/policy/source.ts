/**
 * Where a policy value comes from. Every number and list in a policy pack carries one: either a
 * source document declared in the pack's `sources`, or an explicit example that no region has
 * confirmed yet (domain.md §6).
 */
import { z } from 'zod';

export const docSourceSchema = z.strictObject({
  doc: z.string().min(1),
  note: z.string().min(1).optional(),
});

export const exampleSourceSchema = z.strictObject({
  example: z.literal(true),
  note: z.string().min(1),
});

export const sourceRefSchema = z.union([docSourceSchema, exampleSourceSchema]);

export type DocSource = z.infer<typeof docSourceSchema>;
export type ExampleSource = z.infer<typeof exampleSourceSchema>;
export type SourceRef = z.infer<typeof sourceRefSchema>;

/** A policy value and its source: `{ "value": 48, "source": { "doc": "002" } }`. */
export const sourced = <T extends z.ZodType>(value: T) =>
  z.strictObject({ value, source: sourceRefSchema });

export type Sourced<T> = { value: T; source: SourceRef };

export const sourceDocumentSchema = z.strictObject({
  id: z.string().min(1),
  title: z.string().min(1),
  issuer: z.string().min(1).optional(),
  date: z.string().optional(),
  note: z.string().optional(),
});

export type SourceDocument = z.infer<typeof sourceDocumentSchema>;

export const isExample = (ref: SourceRef): ref is ExampleSource => 'example' in ref;

/** The short label used inside messages: the document id, or 示例. */
export function sourceLabel(ref: SourceRef): string {
  return isExample(ref) ? '示例' : ref.doc;
}

/**
 * A one-line Chinese description of a source, for tooltips and notices. With the pack's
 * documents the title is added: "004《…》：note".
 */
export function describeSource(ref: SourceRef, documents: readonly SourceDocument[] = []): string {
  if (isExample(ref)) return `示例（未经地区确认）：${ref.note}`;
  const doc = documents.find((d) => d.id === ref.doc);
  const head = doc ? `${ref.doc}《${doc.title}》` : ref.doc;
  return ref.note ? `${head}：${ref.note}` : head;
}
