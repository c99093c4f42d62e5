import { Hono } from 'hono';
import type { Operation } from '../http/openapi.ts';
import type { DecisionsService } from './decisions.service.ts';
import { delegationsOperations, delegationsRoutes } from './delegations.routes.ts';
import { proposalsOperations, proposalsRoutes } from './proposals.routes.ts';

export { shortcutsOperations, shortcutsRoutes } from './shortcuts.routes.ts';

export const decisionsOperations: Operation[] = [...proposalsOperations, ...delegationsOperations];

export function decisionsRoutes(decisions: DecisionsService) {
  return new Hono().route('/', proposalsRoutes(decisions)).route('/', delegationsRoutes(decisions));
}
