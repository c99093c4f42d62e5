import { z } from 'zod';
import { HANDLE_PATTERN } from '../identity/identity.ts';
import { UUID_PATTERN } from '../shared/ids.ts';
import { STORABLE_TEXT_MESSAGE, isStorableText } from '../shared/text.ts';

// A filter is a person's own rule for what to leave out of their lists. Matching is pure so
// every list (threads here, feeds elsewhere later) applies the same rules.

export const FILTER_KINDS = ['word', 'person', 'thread', 'commune'] as const;
export type FilterKind = (typeof FILTER_KINDS)[number];
export const MAX_FILTERS_PER_PERSON = 500;
export const MAX_FILTER_VALUE = 100;

export type Filter = { id: string; kind: FilterKind; value: string; createdAt: string };

/** Word filters compare case-insensitively, so they are kept folded; handles and ids are lowercase anyway. */
export const foldCase = (s: string): string => s.normalize('NFC').toLowerCase();

// Local handles, or a fediverse address (user@host) for people whose comments arrive by federation.
const FEDIVERSE_ADDRESS = /^[a-z0-9_.-]{1,64}@[a-z0-9.-]{1,253}$/;

const value = z
  .string()
  .trim()
  .min(1)
  .max(MAX_FILTER_VALUE)
  .refine(isStorableText, STORABLE_TEXT_MESSAGE);

export const filterInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('word'), value: value.transform(foldCase) }),
  z.object({
    kind: z.literal('person'),
    value: value
      .toLowerCase()
      .transform((s) => s.replace(/^@/, ''))
      .refine(
        (s) => HANDLE_PATTERN.test(s) || FEDIVERSE_ADDRESS.test(s),
        'must be a handle (or user@host for a fediverse account)',
      ),
  }),
  z.object({
    kind: z.literal('thread'),
    value: value.toLowerCase().regex(UUID_PATTERN, 'must be a thread id'),
  }),
  z.object({
    kind: z.literal('commune'),
    value: value.toLowerCase().regex(HANDLE_PATTERN, 'must be a commune handle'),
  }),
]);
export type FilterInput = z.infer<typeof filterInputSchema>;

/** What a filter can match on; fields a list does not have are left out. */
export type Filterable = {
  authorHandle: string;
  title?: string;
  body: string;
  threadId?: string;
  communeHandle?: string;
};

export type FilterSet = {
  words: string[];
  people: Set<string>;
  threads: Set<string>;
  communes: Set<string>;
  isEmpty: boolean;
};

export function compileFilters(filters: readonly Pick<Filter, 'kind' | 'value'>[]): FilterSet {
  const set: FilterSet = {
    words: [],
    people: new Set(),
    threads: new Set(),
    communes: new Set(),
    isEmpty: filters.length === 0,
  };
  for (const f of filters) {
    switch (f.kind) {
      case 'word':
        set.words.push(foldCase(f.value));
        break;
      case 'person':
        set.people.add(f.value);
        break;
      case 'thread':
        set.threads.add(f.value);
        break;
      case 'commune':
        set.communes.add(f.value);
        break;
    }
  }
  return set;
}

export const NO_FILTERS: FilterSet = compileFilters([]);

/** Words match anywhere in the title or body (substring, so they also work in scripts without spaces). */
export function matchesWord(
  words: readonly string[],
  item: Pick<Filterable, 'title' | 'body'>,
): boolean {
  if (words.length === 0) return false;
  const title = item.title === undefined ? '' : foldCase(item.title);
  const body = foldCase(item.body);
  return words.some((w) => title.includes(w) || body.includes(w));
}

export function isFilteredOut(set: FilterSet, item: Filterable): boolean {
  if (set.isEmpty) return false;
  if (set.people.has(item.authorHandle.toLowerCase())) return true;
  if (item.threadId !== undefined && set.threads.has(item.threadId.toLowerCase())) return true;
  if (item.communeHandle !== undefined && set.communes.has(item.communeHandle)) return true;
  return matchesWord(set.words, item);
}
