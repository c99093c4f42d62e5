// TF-IDF cosine similarity of free text, computed locally (no external service), no I/O.

const STOP_WORDS = new Set(
  'a an and are as at be by for from has have in is it its of on or our that the their this to we with will you your'.split(
    ' ',
  ),
);

/** Lower-cased word tokens of at least two letters or digits, stop words removed. */
export const tokenize = (text: string): string[] =>
  (
    text
      .toLowerCase()
      .normalize('NFKC')
      .match(/[\p{L}\p{N}]{2,}/gu) ?? []
  ).filter((word) => !STOP_WORDS.has(word));

export type Corpus = {
  readonly documents: number;
  readonly frequency: ReadonlyMap<string, number>;
};

/** Document frequencies over a set of texts: the weights come from the whole network. */
export const corpusOf = (texts: Iterable<string>): Corpus => {
  const frequency = new Map<string, number>();
  let documents = 0;
  for (const text of texts) {
    documents++;
    for (const word of new Set(tokenize(text))) frequency.set(word, (frequency.get(word) ?? 0) + 1);
  }
  return { documents, frequency };
};

export type TextVector = ReadonlyMap<string, number>;

/** How often each word occurs in a text: what is stored per commune (affinity_profiles.terms). */
export const termCounts = (text: string): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const word of tokenize(text)) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
};

/** Smoothed IDF so that a word every commune uses still counts a little, and unknown words count most. */
export const vectorOfCounts = (counts: ReadonlyMap<string, number>, corpus: Corpus): TextVector => {
  const vector = new Map<string, number>();
  for (const [word, count] of counts) {
    const idf = Math.log((1 + corpus.documents) / (1 + (corpus.frequency.get(word) ?? 0))) + 1;
    vector.set(word, count * idf);
  }
  return vector;
};

export const vectorOf = (text: string, corpus: Corpus): TextVector =>
  vectorOfCounts(termCounts(text), corpus);

/** Cosine of two non-negative vectors, in [0, 1]; 0 when either is empty. */
export const cosine = (a: TextVector, b: TextVector): number => {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [word, weight] of small) dot += weight * (large.get(word) ?? 0);
  if (dot === 0) return 0;
  const norm = (v: TextVector): number => Math.sqrt([...v.values()].reduce((s, w) => s + w * w, 0));
  return Math.min(1, Math.max(0, dot / (norm(a) * norm(b))));
};

export const textSimilarity = (a: string, b: string, corpus: Corpus): number =>
  cosine(vectorOf(a, corpus), vectorOf(b, corpus));
