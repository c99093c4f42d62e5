// Differences between two versions of an item. No I/O.
import { diffLines, diffWords, type ChangeObject } from 'diff';
import type { ItemContent } from './items.ts';

export type DiffPart = { op: 'same' | 'added' | 'removed'; text: string };
export type FieldChange = { name: string; from: unknown; to: unknown };

/**
 * Beyond this many edits a diff stops looking for the shortest script and shows the whole
 * text replaced: Myers' diff is quadratic at worst, and bodies reach 100k characters.
 */
export const MAX_EDIT_LENGTH = 2000;

const parts = (changes: ChangeObject<string>[]): DiffPart[] =>
  changes.map((c) => ({ op: c.added ? 'added' : c.removed ? 'removed' : 'same', text: c.value }));

const replaced = (a: string, b: string): DiffPart[] => [
  ...(a === '' ? [] : [{ op: 'removed' as const, text: a }]),
  ...(b === '' ? [] : [{ op: 'added' as const, text: b }]),
];

const OTHER_FIELDS = ['kind', 'tags', 'visibility', 'license', 'url', 'estimate'] as const;

export function diffContent(a: ItemContent, b: ItemContent) {
  const title = diffWords(a.title, b.title, { maxEditLength: MAX_EDIT_LENGTH });
  const body = diffLines(a.body, b.body, { maxEditLength: MAX_EDIT_LENGTH });
  const fields: FieldChange[] = OTHER_FIELDS.filter(
    (name) => JSON.stringify(a[name]) !== JSON.stringify(b[name]),
  ).map((name) => ({ name, from: a[name], to: b[name] }));
  return {
    title: title ? parts(title) : replaced(a.title, b.title),
    body: body ? parts(body) : replaced(a.body, b.body),
    fields,
  };
}
