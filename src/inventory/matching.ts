// Ranks offers and skills against a need: text relevance (BM25 over title, body and tags)
// plus shared tags. Pure. A commune's inventory is small enough (150 people) to rank in
// memory; the search index serves searching across communes.
import type { ItemKind } from '../db/schema.inventory.ts';

export const MAX_MATCHES = 20;
/** Candidates considered per need: the newest offers and skills of the commune. */
export const MAX_CANDIDATES = 1000;
/** A shared tag weighs as much as this many strongly matching words. */
const TAG_WEIGHT = 2;
const K1 = 1.2;
const B = 0.75;

export type Matchable = { id: string; kind: ItemKind; title: string; body: string; tags: string[] };
export type Match<T> = { item: T; score: number; sharedTags: string[] };

const STOP = new Set(
  'a an and are as at be but by for from has have i in is it of on or our that the this to we with you your'.split(
    ' ',
  ),
);

/** Lower-cased words of 2+ letters or digits, stop words out, with a crude English stem. */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const w of text
    .toLowerCase()
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}]+/u)) {
    if (w.length < 2 || STOP.has(w)) continue;
    out.push(stem(w));
  }
  return out;
}

/** A light English stem, so "bicycles", "repairing" and "repaired" meet "bicycle" and "repair". */
function stem(w: string): string {
  const cut = (n: number) => (w.length - n >= 3 ? w.slice(0, -n) : w);
  if (w.endsWith('ing')) return cut(3);
  if (w.endsWith('ed')) return cut(2);
  if (/(s|x|z|ch|sh)es$/u.test(w)) return cut(2);
  if (w.endsWith('s') && !w.endsWith('ss')) return cut(1);
  return w;
}

const textOf = (m: Matchable) => words(`${m.title} ${m.title} ${m.body} ${m.tags.join(' ')}`);

/**
 * The candidates that may meet `need`, best first: BM25 of the need's words in each
 * candidate, plus TAG_WEIGHT per shared tag. Candidates with nothing in common are left out;
 * ties keep the candidates' order (newest first).
 */
export function rankMatches<T extends Matchable>(need: Matchable, candidates: T[]): Match<T>[] {
  const query = new Set(textOf(need));
  const needTags = new Set(need.tags);
  const docs = candidates.map((c) => textOf(c));
  const avg = docs.reduce((n, d) => n + d.length, 0) / Math.max(1, docs.length);
  const df = new Map<string, number>();
  for (const d of docs)
    for (const w of new Set(d)) if (query.has(w)) df.set(w, (df.get(w) ?? 0) + 1);
  const n = docs.length;
  const scored: Match<T>[] = [];
  candidates.forEach((item, i) => {
    if (item.id === need.id) return;
    const doc = docs[i]!;
    const tf = new Map<string, number>();
    for (const w of doc) if (query.has(w)) tf.set(w, (tf.get(w) ?? 0) + 1);
    let text = 0;
    for (const [w, f] of tf) {
      const idf = Math.log(1 + (n - df.get(w)! + 0.5) / (df.get(w)! + 0.5));
      text += (idf * f * (K1 + 1)) / (f + K1 * (1 - B + (B * doc.length) / Math.max(1, avg)));
    }
    const sharedTags = item.tags.filter((t) => needTags.has(t));
    const score = text + TAG_WEIGHT * sharedTags.length;
    if (score > 0) scored.push({ item, score, sharedTags });
  });
  return scored
    .map((m, order) => ({ m, order }))
    .sort((a, b) => b.m.score - a.m.score || a.order - b.order)
    .slice(0, MAX_MATCHES)
    .map(({ m }) => m);
}
