import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { declareRoute, jsonResponse, mount, openApiApp } from '../http/declare.ts';
import { respond } from '../http/errors.ts';
import { ok } from '../shared/result.ts';
import { identityFail } from './identity.errors.ts';
import { peopleView } from './people.view.ts';

const tag = 'identity';

const personParams = z.object({
  handle: z
    .string()
    .regex(/^[a-z0-9_]{2,30}$/, 'must be 2–30 characters of a–z, 0–9 or _')
    .meta({ description: 'The person’s handle' }),
});

const personSchema = z
  .object({
    handle: z.string(),
    displayName: z.string(),
    communes: z
      .array(
        z.object({
          handle: z.string(),
          name: z.string(),
          role: z.enum(['member', 'steward']),
        }),
      )
      .meta({ description: 'The public communes they belong to, by name' }),
  })
  .meta({ id: 'Person' });

export const getPerson = declareRoute({
  method: 'get',
  path: '/people/{handle}',
  operationId: 'getPerson',
  summary: 'A person as anyone may see them: where a mention (@handle) links',
  tag,
  access: 'public',
  request: { params: personParams },
  responses: { 200: jsonResponse(personSchema, 'The person') },
  errors: ['person_not_found'],
});

export function peopleRoutes(deps: Deps) {
  const app = openApiApp();
  const people = peopleView(deps.db);
  mount(app, getPerson, [], async (c) => {
    const found = await people.profile(c.req.valid('param').handle);
    return respond(
      c,
      found ? ok(found) : identityFail('person_not_found', 'No one has this handle'),
    );
  });
  return app;
}
