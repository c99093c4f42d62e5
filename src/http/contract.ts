import type { RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { z } from 'zod';

declare module 'hono' {
  interface ContextVariableMap {
    /** Set in tests (Deps.checkContract): every declared route's answer is checked against its declaration. */
    checkContract: boolean;
  }
}

/** What is wrong with a response, measured against the route's declaration; null when nothing. */
export async function contractProblem(route: RouteConfig, res: Response): Promise<string | null> {
  const declared = route.responses[String(res.status)];
  if (!declared || '$ref' in declared)
    return `status ${res.status} is not documented for ${route.method} ${route.path}`;
  // A stream is never read to its end here: its type is what can be checked.
  if (declared.content?.['text/event-stream'])
    return res.headers.get('content-type')?.startsWith('text/event-stream')
      ? null
      : `status ${res.status} of ${route.method} ${route.path} is not an event stream`;
  const media = declared.content?.['application/json'];
  const schema = media && 'schema' in media ? (media.schema as z.ZodType) : undefined;
  if (!schema) {
    const text = await res.clone().text();
    return declared.content === undefined && text !== ''
      ? `status ${res.status} of ${route.method} ${route.path} is documented without a body`
      : null;
  }
  let body: unknown;
  try {
    body = await res.clone().json();
  } catch {
    return `status ${res.status} of ${route.method} ${route.path} answered something not JSON`;
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0];
  return `${route.method} ${route.path} ${res.status}: ${issue?.path.join('.') || 'body'}: ${issue?.message}`;
}

/** In tests, turns an answer that breaks the document into a 500 contract_violation, so the test fails. */
export function checkContract(route: RouteConfig): MiddlewareHandler {
  return async function checkResponseContract(c, next) {
    await next();
    if (!c.get('checkContract')) return;
    const problem = await contractProblem(route, c.res);
    if (problem === null) return;
    c.res = undefined;
    c.res = c.json({ error: { code: 'contract_violation', message: problem } }, 500);
  };
}
