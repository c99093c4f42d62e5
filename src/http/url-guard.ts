import type { MiddlewareHandler } from 'hono';
import { isStorableText } from '../shared/text.ts';
import { sendError } from './errors.ts';

/** Decodes one path or query part; null when an escape is malformed or not UTF-8. */
function decoded(part: string, plusIsSpace: boolean): string | null {
  try {
    return decodeURIComponent(plusIsSpace ? part.replaceAll('+', ' ') : part);
  } catch {
    return null;
  }
}

/** Whether every %-escape of the path and query decodes to text a database can store. */
export function isStorableUrl(url: string): boolean {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  const rest = start === -1 ? '' : url.slice(start);
  if (!rest.includes('%')) return true; // the URL parser already escaped everything else
  const hash = rest.indexOf('#');
  const [path = '', query = ''] = (hash === -1 ? rest : rest.slice(0, hash)).split(/\?(.*)/s);
  const parts = [decoded(path, false), ...query.split(/[&=]/).map((q) => decoded(q, true))];
  return parts.every((p) => p !== null && isStorableText(p));
}

// Path and query parameters reach the databases as they are decoded: a NUL there made
// PostgreSQL fail with a 500. Bodies go through parseWith; URLs go through here, first.
export function guardUrl(): MiddlewareHandler {
  return async function refuseUnstorableUrl(c, next) {
    if (isStorableUrl(c.req.url)) return next();
    return sendError(c, {
      type: 'invalid_input',
      code: 'malformed_url',
      message:
        'The path or query has a malformed %-escape, bytes that are not UTF-8, or a NUL character',
    });
  };
}
