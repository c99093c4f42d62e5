import type { MiddlewareHandler } from 'hono';
import type { Permitted } from '../communes/access.ts';
import type { CommunesService } from '../communes/communes.service.ts';
import type { Need } from '../communes/permit.ts';
import { sendError } from './errors.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** The commune `{c}` names, once inCommune() let the caller in. */
    commune: Permitted;
  }
}

/**
 * The one access rule as route middleware: loads the commune `{c}` names and the caller's
 * role, answers 404 (hidden), 401 (anonymous) or 403 (signed in, not allowed) per permit(),
 * and otherwise sets c.get('commune').
 */
export function communeAccess(communes: Pick<CommunesService, 'permit'>) {
  return function inCommune(need: Need): MiddlewareHandler {
    return async function communeAccessMiddleware(c, next) {
      const permitted = await communes.permit(
        c.req.param('c') ?? '',
        c.get('viewer')?.id ?? null,
        need,
      );
      if (!permitted.ok) return sendError(c, permitted.error);
      c.set('commune', permitted.value);
      await next();
    };
  };
}
export type InCommune = ReturnType<typeof communeAccess>;
