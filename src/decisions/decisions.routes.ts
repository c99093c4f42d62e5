import type { Operation } from '../http/openapi.ts';
import { openApiApp } from '../http/declare.ts';
import type { DecisionsService } from './decisions.service.ts';
import { delegationsOperations, delegationsRoutes } from './delegations.routes.ts';
import { proposalsRoutes } from './proposals.routes.ts';

export { shortcutsOperations, shortcutsRoutes } from './shortcuts.routes.ts';

export const decisionsOperations: Operation[] = [...delegationsOperations];

export function decisionsRoutes(decisions: DecisionsService) {
  const app = openApiApp();
  app.route('/', proposalsRoutes(decisions));
  app.route('/', delegationsRoutes(decisions));
  return app;
}
