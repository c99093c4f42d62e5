import {
  createRoute,
  OpenAPIHono,
  z,
  type RouteConfig,
  type RouteHandler,
} from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { Need } from '../communes/permit.ts';
import type { AppError } from '../shared/result.ts';
import { ERROR_CATALOG, type ErrorCode } from './error-catalog.ts';
import { sendError, statusFor, type ErrorStatus } from './errors.ts';
import { checkContract } from './contract.ts';
import { MAX_BODY_BYTES, type BodyLimitFor } from './security.ts';
import { describe, parseWith, readJson } from './validate.ts';

/**
 * Who may call a route: anyone, any signed-in person, or per their standing in the commune
 * `{c}` names. A route that names a thing of a commune instead (`/threads/{id}`) gives the
 * thing's own not-found code as `hiddenAs`: the commune is the thing's, and a hidden one
 * answers as a missing thing would, so hiding looks like absence.
 */
export type Access = 'public' | 'signed_in' | { commune: Need; hiddenAs?: ErrorCode };

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Responses = RouteConfig['responses'];

/** One route, declared once: the router, the validators, the access rule and the document read it. */
export type RouteDeclaration = {
  method: Method;
  /** OpenAPI form, relative to where its app is mounted (/api/v1): `/communes/{c}`. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  access: Access;
  request?: NonNullable<RouteConfig['request']>;
  responses: Responses;
  /** Codes the route's own logic may answer with; access, validation and auth codes are added. */
  errors?: readonly ErrorCode[];
  /** Bytes; the default is MAX_BODY_BYTES. Documented as x-body-limit. */
  bodyLimit?: number;
  /** False for the service routes outside /api/v1 (health, metrics): they read no session. */
  readsSession?: boolean;
};

export const jsonBody = <S extends z.ZodType>(schema: S, description?: string) => ({
  required: true,
  ...(description ? { description } : {}),
  content: { 'application/json': { schema } },
});

export const jsonResponse = <S extends z.ZodType>(schema: S, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const errorDetails = z.record(z.string(), z.unknown());

/** The shared error body, its code narrowed to the codes one status may carry. */
export const errorSchema = (codes: readonly [ErrorCode, ...ErrorCode[]]) =>
  z.object({
    error: z.object({
      code: z.enum(codes),
      message: z.string(),
      field: z.string().optional(),
      fields: z
        .record(z.string(), z.string())
        .optional()
        .meta({ description: 'Invalid input: each field’s message, in plain words' }),
      details: errorDetails.optional(),
    }),
  });

/** One response per status, each listing its codes. */
export function errorResponses(codes: readonly ErrorCode[]): Responses {
  const byStatus = new Map<ErrorStatus, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = statusFor(ERROR_CATALOG[code]);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Responses = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    const sorted = list.sort() as [ErrorCode, ...ErrorCode[]];
    out[status] = jsonResponse(errorSchema(sorted), sorted.join(', '));
  }
  return out;
}

function accessCodes(access: Access): ErrorCode[] {
  if (access === 'public') return [];
  if (access === 'signed_in') return ['not_signed_in'];
  const hidden = access.hiddenAs ?? 'not_found';
  switch (access.commune) {
    case 'visitor':
      return [hidden];
    case 'signed_in':
      return [hidden, 'not_signed_in'];
    case 'member':
    case 'books':
    case 'ballots':
      // books and ballots: a member's need unless the commune opened them.
      return [hidden, 'not_signed_in', 'members_only'];
    case 'steward':
      return [hidden, 'not_signed_in', 'stewards_only'];
  }
}

type Security = Record<string, string[]>[];
/** Needs an anonymous caller may meet (books and ballots, where the commune opened them). */
const OPEN_NEEDS = new Set<Need>(['visitor', 'books', 'ballots']);
const NO_AUTH: Security = [];
const OPTIONAL_AUTH: Security = [{}, { bearer: [] }, { cookie: [] }];
const REQUIRED_AUTH: Security = [{ bearer: [] }, { cookie: [] }];

/** createRoute plus what every route of ours documents the same way. */
export function declareRoute<const D extends RouteDeclaration>(d: D) {
  const { access, errors = [], bodyLimit, tag, readsSession = true, ...rest } = d;
  const hasBody = d.request?.body !== undefined;
  const validated = hasBody || d.request?.query !== undefined || d.request?.params !== undefined;
  const codes: ErrorCode[] = [
    ...(readsSession ? (['invalid_token'] as const) : []),
    'malformed_url',
    ...accessCodes(access),
    ...(d.method === 'get' ? [] : (['csrf_token_invalid'] as const)),
    ...(validated ? (['invalid_input'] as const) : []),
    ...(hasBody ? (['malformed_json', 'body_too_large', 'unsupported_media_type'] as const) : []),
    ...errors,
  ];
  const route = createRoute({
    ...rest,
    tags: [tag],
    security: !readsSession
      ? NO_AUTH
      : access === 'public' || (typeof access === 'object' && OPEN_NEEDS.has(access.commune))
        ? OPTIONAL_AUTH
        : REQUIRED_AUTH,
    'x-commune-access': access,
    ...(hasBody ? { 'x-body-limit': bodyLimit ?? MAX_BODY_BYTES } : {}),
    responses: { ...d.responses, ...errorResponses(codes) },
  });
  documentedCodes.set(route, new Set(codes));
  return route as unknown as Omit<D, 'access' | 'errors' | 'bodyLimit' | 'tag' | 'readsSession'> &
    DeclaredExtras;
}

/** Each declared route's error codes, so a sharpened code is only sent when it is documented. */
const documentedCodes = new WeakMap<object, ReadonlySet<string>>();
type DeclaredExtras = {
  tags: string[];
  security: Record<string, string[]>[];
  'x-commune-access': Access;
  'x-body-limit'?: number;
};
export type DeclaredRoute = RouteConfig & DeclaredExtras;

/** The context a route's handler gets: c.req.valid('json' | 'query' | 'param') is typed by its schemas. */
export type RouteContext<R extends RouteConfig> = Parameters<RouteHandler<R>>[0];

/**
 * Validates the declared parts with our own readers, so every failure keeps our error shape
 * (malformed_json, the NUL and depth guard, the media-type rule), then hands the values to
 * c.req.valid() as zod-openapi's validators would.
 */
function validator(
  route: DeclaredRoute,
  clarify: (e: AppError) => AppError,
): MiddlewareHandler | undefined {
  const { params, query, body } = route.request ?? {};
  const media = body?.content['application/json'];
  const bodySchema = media && 'schema' in media ? media.schema : undefined;
  if (!params && !query && !bodySchema) return undefined;
  // A field name may mean another thing in another part (`to` of a diff query, `to` in a
  // stray body key): a sharper code the route does not document falls back to invalid_input.
  const documented = documentedCodes.get(route);
  const sharpen = (e: AppError): AppError => {
    const sharper = clarify(e);
    return documented === undefined || documented.has(sharper.code) ? sharper : e;
  };
  return async function validateRequest(c, next) {
    if (params) {
      const r = parseWith(params as z.ZodType, c.req.param());
      if (!r.ok) return sendError(c, sharpen(r.error));
      c.req.addValidatedData('param', r.value as Record<string, unknown>);
    }
    if (query) {
      const r = parseWith(query as z.ZodType, c.req.query());
      if (!r.ok) return sendError(c, sharpen(r.error));
      c.req.addValidatedData('query', r.value as Record<string, unknown>);
    }
    if (bodySchema) {
      const r = await readJson(c, bodySchema as z.ZodType);
      if (!r.ok) return sendError(c, sharpen(r.error));
      c.req.addValidatedData('json', r.value as Record<string, unknown>);
    }
    await next();
  };
}

/**
 * Registers a declared route: documented in the app's registry, then the chain
 * contract check → access middleware → validation → handler. `clarify` may sharpen a
 * validation error's code (the ledger names the field: invalid_amount).
 */
export function mount<R extends DeclaredRoute>(
  app: OpenAPIHono,
  route: R,
  middleware: MiddlewareHandler[],
  handler: (c: RouteContext<R>) => Response | Promise<Response>,
  options: { clarify?: (e: AppError) => AppError } = {},
): void {
  app.openAPIRegistry.registerPath(route);
  const validate = validator(route, options.clarify ?? ((e) => e));
  app.on(
    route.method.toUpperCase(),
    route.path.replaceAll(/\{(\w+)\}/g, ':$1'),
    checkContract(route),
    ...middleware,
    ...(validate ? [validate] : []),
    handler as unknown as MiddlewareHandler,
  );
}

/** A sub-app whose zod failures (if any route uses app.openapi directly) answer our 400 shape. */
export const openApiApp = () =>
  new OpenAPIHono({
    defaultHook: (result, c) =>
      result.success ? undefined : sendError(c, describe(result.error.issues)),
  });

/**
 * The allowances routes declared (x-body-limit) other than the default, read from the app's
 * registry on first use, for limitBody. `base` is where the app is mounted (/api/v1).
 */
export function declaredBodyLimits(app: OpenAPIHono, base: string): BodyLimitFor {
  let rules: { method: string; path: RegExp; limit: number }[] | undefined;
  return (method, path) => {
    rules ??= app.openAPIRegistry.definitions.flatMap((d) => {
      if (d.type !== 'route') return [];
      const limit = (d.route as Partial<DeclaredExtras>)['x-body-limit'];
      if (limit === undefined || limit === MAX_BODY_BYTES) return [];
      const pattern = (base + d.route.path)
        .split(/\{\w+\}/)
        .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
        .join('[^/]+');
      return [{ method: d.route.method.toUpperCase(), path: new RegExp(`^${pattern}$`), limit }];
    });
    return rules.find((r) => r.method === method && r.path.test(path))?.limit ?? MAX_BODY_BYTES;
  };
}
