import type { Context } from 'hono';
import type { z } from 'zod';
import { err, ok, type AppError, type Result } from '../shared/result.ts';
import { STORABLE_TEXT_MESSAGE, isStorableText } from '../shared/text.ts';
import { plainIssue } from './plain-issues.ts';

/** Where an issue is, as the error's `field` names it: `tags.2`; empty for the whole input. */
const pathOf = (issue: z.core.$ZodIssue): string => issue.path.map(String).join('.');

/**
 * The first issue as `message` and `field` (as before), and every field's first issue in
 * `fields`, so a form can show each message beside its own field.
 */
export function describe(issues: z.core.$ZodIssue[]): AppError {
  const first = issues[0];
  if (!first)
    return { type: 'invalid_input', code: 'invalid_input', message: 'The request is not valid' };
  const field = pathOf(first);
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const at = pathOf(issue);
    if (at !== '' && !(at in fields)) fields[at] = issue.message;
  }
  if (field === '')
    return {
      type: 'invalid_input',
      code: 'invalid_input',
      message: `The request ${first.message}`,
      ...(Object.keys(fields).length > 0 ? { fields } : {}),
    };
  return {
    type: 'invalid_input',
    code: 'invalid_input',
    message: `${field}: ${first.message}`,
    field,
    fields,
  };
}

/** No request of ours nests deeper; deeper input is refused before anything walks it. */
export const MAX_JSON_DEPTH = 32;

type Problem = { path: string[]; message: string } | null;

/** The first string or key no database can store as given, or nesting past MAX_JSON_DEPTH. Iterative, so depth cannot exhaust the stack. */
function inputProblem(input: unknown): Problem {
  const stack: { value: unknown; path: string[] }[] = [{ value: input, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (!isStorableText(value)) return { path, message: STORABLE_TEXT_MESSAGE };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= MAX_JSON_DEPTH)
      return { path: [], message: `nested more than ${MAX_JSON_DEPTH} levels deep` };
    const entries = Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, v] = entries[i]!;
      if (!isStorableText(key))
        return {
          path: [...path, key.replace(/[^\x20-\x7e]/g, '?')],
          message: STORABLE_TEXT_MESSAGE,
        };
      stack.push({ value: v, path: [...path, key] });
    }
  }
  return null;
}

// Every route's input passes here, so NUL bytes, lone surrogates and absurd nesting become
// one clear 400 instead of a database or stack error, wherever they hide.
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): Result<z.infer<S>> {
  const problem = inputProblem(input);
  if (problem) {
    const field = problem.path.join('.');
    return err({
      type: 'invalid_input',
      code: 'invalid_input',
      message: `${field || 'body'}: ${problem.message}`,
      ...(field ? { field, fields: { [field]: problem.message } } : {}),
    });
  }
  const parsed = schema.safeParse(input, { error: plainIssue });
  return parsed.success ? ok(parsed.data) : err(describe(parsed.error.issues));
}

// A cross-site form can post text/plain that looks like JSON, but not application/json
// without a CORS preflight: requiring the type stops login CSRF and its kin.
const JSON_TYPE = /^application\/json\s*(;|$)/i;

/** Reads and validates a JSON body: malformed JSON and schema misses are 400s naming the problem; a non-empty body of another Content-Type is a 415. */
export async function readJson<S extends z.ZodType>(
  c: Context,
  schema: S,
): Promise<Result<z.infer<S>>> {
  const text = await c.req.text();
  let body: unknown;
  if (text.trim() === '') {
    body = {};
  } else if (!JSON_TYPE.test(c.req.header('content-type') ?? '')) {
    return err({
      type: 'unsupported_media_type',
      code: 'unsupported_media_type',
      message: 'Send JSON bodies with Content-Type: application/json',
    });
  } else {
    try {
      body = JSON.parse(text);
    } catch {
      return err({
        type: 'invalid_input',
        code: 'malformed_json',
        message: 'The request body is not valid JSON',
      });
    }
  }
  return parseWith(schema, body);
}

export const readQuery = <S extends z.ZodType>(c: Context, schema: S): Result<z.infer<S>> =>
  parseWith(schema, c.req.query());
