import type { Executor } from '../db/transaction.ts';
import { handlesRepository } from '../identity/handles.repository.ts';
import { mentionedHandles, renderMarkdown } from '../shared/markdown.ts';

/**
 * A post's Markdown as HTML, its `@handle`s of people who exist linked to their pages (and
 * any other `@word` left as text). Which handles exist is read once, before the pure render.
 */
export async function renderPost(db: Executor, body: string): Promise<string> {
  const named = mentionedHandles(body);
  if (named.length === 0) return renderMarkdown(body);
  return renderMarkdown(body, await handlesRepository(db).peopleAmong(named));
}
