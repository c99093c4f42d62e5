import type { Context } from 'hono';
import type { z } from 'zod';
import { err, ok, type AppError, type Result } from '../shared/result.ts';

function describe(issues: z.core.$ZodIssue[]): AppError {
  const first = issues[0];
  const field = first && first.path.length > 0 ? first.path.map(String).join('.') : undefined;
  const message = first ? (field ? `${field}: ${first.message}` : first.message) : 'invalid input';
  return field === undefined ? { type: 'invalid_input', code: 'invalid_input', message } : { type: 'invalid_input', code: 'invalid_input', message, field };
}

export function parseWith<S extends z.ZodType>(schema: S, input: unknown): Result<z.infer<S>> {
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
