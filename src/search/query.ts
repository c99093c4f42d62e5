// What a person types into the search box, parsed once into a small tree that both databases
// are then given in their own syntax: FTS5 MATCH text for SQLite, websearch_to_tsquery text
// for PostgreSQL. Only words ever reach either, each inside double quotes, so no operator,
// column filter, prefix star or stray quote of the input can reach the engine's parser.

/** Longer queries are refused (400 query_too_long): search terms, not documents. */
export const MAX_QUERY_LENGTH = 200;
/** Words beyond these are dropped: the cost of a match grows with its terms. */
export const MAX_TERMS = 16;

/** A quoted phrase or one word: its words in order (letters, digits and their marks). */
export type Term = readonly string[];
/** Every `include` term and none of the `exclude` ones. */
export type Clause = { include: Term[]; exclude: Term[] };
/** Any one of the clauses: `a b or c` is (a and b) or c, as websearch_to_tsquery reads it. */
export type SearchQuery = { clauses: Clause[] };

const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu;
const wordsOf = (text: string): string[] => text.normalize('NFC').match(WORD) ?? [];

type Token = { kind: 'or' } | { kind: 'term'; words: string[]; negated: boolean };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (/\s/u.test(ch)) {
      i += 1;
      continue;
    }
    let negated = false;
    if (ch === '-' && i + 1 < input.length && !/\s/u.test(input[i + 1]!)) {
      negated = true;
      i += 1;
    }
    if (input[i] === '"') {
      // An unbalanced quote runs to the end.
      const close = input.indexOf('"', i + 1);
      const end = close === -1 ? input.length : close;
      tokens.push({ kind: 'term', words: wordsOf(input.slice(i + 1, end)), negated });
      i = end + 1;
      continue;
    }
    let end = i;
    while (end < input.length && !/\s/u.test(input[end]!) && input[end] !== '"') end += 1;
    const raw = input.slice(i, end);
    i = end;
    if (!negated && raw.toLowerCase() === 'or') tokens.push({ kind: 'or' });
    else tokens.push({ kind: 'term', words: wordsOf(raw), negated });
  }
  return tokens;
}

/**
 * Quoted phrases, `-word` (or `-"a phrase"`) to leave out, `or` between alternatives; the
 * rest are words that must all appear. A clause with nothing to include is dropped (a bare
 * `-word` would match nearly everything), so an empty result means "search for nothing".
 */
export function parseQuery(input: string): SearchQuery {
  const clauses: Clause[] = [];
  let current: Clause = { include: [], exclude: [] };
  let terms = 0;
  for (const token of tokenize(input)) {
    if (token.kind === 'or') {
      if (current.include.length > 0) clauses.push(current);
      current = { include: [], exclude: [] };
      continue;
    }
    if (token.words.length === 0 || terms >= MAX_TERMS) continue;
    const words = token.words.slice(0, MAX_TERMS - terms);
    terms += words.length;
    (token.negated ? current.exclude : current.include).push(words);
  }
  if (current.include.length > 0) clauses.push(current);
  return { clauses };
}

export const isEmptyQuery = (q: SearchQuery): boolean => q.clauses.length === 0;

// Words hold no `"`; doubling is FTS5's own escape, kept should WORD ever widen.
const quoted = (term: Term): string => `"${term.join(' ').replaceAll('"', '""')}"`;

/** FTS5 MATCH text: `(("a" AND "b c") NOT ("d")) OR ("e")`. Empty for an empty query. */
export function toFts5(q: SearchQuery): string {
  return q.clauses
    .map(({ include, exclude }) => {
      const all = include.map(quoted).join(' AND ');
      return exclude.length === 0
        ? `(${all})`
        : `((${all}) NOT (${exclude.map(quoted).join(' OR ')}))`;
    })
    .join(' OR ');
}

/** websearch_to_tsquery text with the same meaning: `"a" "b c" -"d" or "e"`. */
export function toWebsearch(q: SearchQuery): string {
  return q.clauses
    .map(({ include, exclude }) =>
      [...include.map(quoted), ...exclude.map((t) => `-${quoted(t)}`)].join(' '),
    )
    .join(' or ');
}
