import { openApiApp } from '../http/declare.ts';
import type { DecisionsService } from './decisions.service.ts';
import { delegationsRoutes } from './delegations.routes.ts';
import { proposalsRoutes } from './proposals.routes.ts';

export { shortcutsRoutes } from './shortcuts.routes.ts';

export function decisionsRoutes(decisions: DecisionsService) {
  // An OpenAPIHono, so that the declared sub-apps' routes reach the document.
  const app = openApiApp();
  app.route('/', proposalsRoutes(decisions));
  app.route('/', delegationsRoutes(decisions));
  return app;
}
