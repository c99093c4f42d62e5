// What an amend_charter proposal changes, as differences against the current charter. No I/O.
import { diffLines, diffWords, type ChangeObject } from 'diff';
import type { DiffPart } from '../api/inventory.ts';
import type { Commune } from '../api/types.ts';

export type CharterChange =
  | { field: string; label: string; kind: 'text'; parts: DiffPart[] }
  | { field: string; label: string; kind: 'value'; from: string; to: string };

/** Long texts stop looking for the shortest edit and show the whole text replaced. */
const MAX_EDIT_LENGTH = 2000;

const LABELS: Record<string, string> = {
  name: 'Name',
  vision: 'Vision',
  agreements: 'Agreements',
  joinPolicy: 'How people join',
  visibility: 'Who can see it',
  maxMembers: 'Most members',
};

const parts = (changes: ChangeObject<string>[] | undefined, a: string, b: string): DiffPart[] =>
  changes
    ? changes.map((c) => ({
        op: c.added ? 'added' : c.removed ? 'removed' : 'same',
        text: c.value,
      }))
    : [
        ...(a === '' ? [] : [{ op: 'removed' as const, text: a }]),
        ...(b === '' ? [] : [{ op: 'added' as const, text: b }]),
      ];

const text = (v: unknown): string =>
  v === null || v === undefined ? '(none)' : Array.isArray(v) ? v.join(', ') : String(v);

/** Lines end with a newline so a line diff never glues two agreements together. */
const lines = (list: readonly string[]) => list.map((a) => `${a}\n`).join('');

export function charterChanges(
  current: Pick<Commune, 'name' | 'vision' | 'agreements'> & Record<string, unknown>,
  params: Record<string, unknown>,
): CharterChange[] {
  const out: CharterChange[] = [];
  for (const [field, to] of Object.entries(params)) {
    const label = LABELS[field] ?? field;
    if ((field === 'name' || field === 'vision') && typeof to === 'string') {
      const from = current[field];
      const d = diffWords(from, to, { maxEditLength: MAX_EDIT_LENGTH });
      out.push({ field, label, kind: 'text', parts: parts(d, from, to) });
    } else if (field === 'agreements' && Array.isArray(to)) {
      const a = lines(current.agreements);
      const b = lines(to.map(String));
      const d = diffLines(a, b, { maxEditLength: MAX_EDIT_LENGTH });
      out.push({ field, label, kind: 'text', parts: parts(d, a, b) });
    } else {
      out.push({ field, label, kind: 'value', from: text(current[field]), to: text(to) });
    }
  }
  return out;
}
