import type { Context } from 'hono';
import type { z } from 'zod';
import { err, ok, type AppError, type Result } from '../shared/result.ts';
import { STORABLE_TEXT_MESSAGE, isStorableText } from '../shared/text.ts';

function describe(issues: z.core.$ZodIssue[]): AppError {
  const first = issues[0];
  const field = first && first.path.length > 0 ? first.path.map(String).join('.') : undefined;
  const message = first ? (field ? `${field}: ${first.message}` : first.message) : 'invalid input';
  return field === undefined ? { type: 'invalid_input', code: 'invalid_input', message } : { type: 'invalid_input', code: 'invalid_input', message, field };
}

/** The path of the first string (or key) no database can store as given, if any. */
function unstorablePath(value: unknown, path: string[] = []): string[] | null {
  if (typeof value === 'string') return isStorableText(value) ? null : path;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, v] of Object.entries(value)) {
    if (!isStorableText(key)) return [...path, key.replace(/[^\x20-\x7e]/g, '?')];
    const found = unstorablePath(v, [...path, key]);
    if (found) return found;
  }
  return null;
}

// Every route's input passes here, so NUL bytes and lone surrogates become one clear 400
// instead of a database error, whatever field they hide in.
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): Result<z.infer<S>> {
  const bad = unstorablePath(input);
  if (bad) {
    const field = bad.join('.');
    return err({ type: 'invalid_input', code: 'invalid_input', message: `${field || 'body'}: ${STORABLE_TEXT_MESSAGE}`, ...(field ? { field } : {}) });
  }
  const parsed = schema.safeParse(input);
  return parsed.success ? ok(parsed.data) : err(describe(parsed.error.issues));
}

/** Reads and validates a JSON body; malformed JSON and schema misses are 400s naming the problem. */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<Result<z.infer<S>>> {
  const text = await c.req.text();
  let body: unknown;
  if (text.trim() === '') {
    body = {};
  } else {
    try {
      body = JSON.parse(text);
    } catch {
      return err({ type: 'invalid_input', code: 'malformed_json', message: 'The request body is not valid JSON' });
    }
  }
  return parseWith(schema, body);
}

export const readQuery = <S extends z.ZodType>(c: Context, schema: S): Result<z.infer<S>> => parseWith(schema, c.req.query());
