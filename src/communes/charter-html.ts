import { renderMarkdown } from '../shared/markdown.ts';

// A charter's vision and agreements are Markdown, shown on every commune page and card, and
// rendered by the same renderer and sanitizer as comments. Charters change rarely and lists
// repeat them, so each text is rendered once per process and kept (a bounded memo) rather
// than stored: no migration, and a renderer fix reaches every charter on restart.

const MAX_KEPT = 2000;
const kept = new Map<string, string>();

/** renderMarkdown, remembered for the last MAX_KEPT texts (least recently used goes first). */
export function charterMarkdown(source: string): string {
  const hit = kept.get(source);
  if (hit !== undefined) {
    kept.delete(source);
    kept.set(source, hit);
    return hit;
  }
  const html = renderMarkdown(source);
  kept.set(source, html);
  if (kept.size > MAX_KEPT) kept.delete(kept.keys().next().value!);
  return html;
}

/** The commune with its vision and each agreement as sanitized HTML beside the source. */
export const withCharterHtml = <C extends { vision: string; agreements: readonly string[] }>(
  c: C,
): C & { visionHtml: string; agreementsHtml: string[] } => ({
  ...c,
  visionHtml: charterMarkdown(c.vision),
  agreementsHtml: c.agreements.map(charterMarkdown),
});
