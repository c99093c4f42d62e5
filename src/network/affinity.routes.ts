import { z } from 'zod';
import { communeParams } from '../communes/communes.schemas.ts';
import type { CommunesService } from '../communes/communes.service.ts';
import { communeAccess } from '../http/access.ts';
import { requireViewer, signedIn, viewerOf } from '../http/auth.ts';
import { declareRoute, jsonResponse, mount, openApiApp } from '../http/declare.ts';
import { respond } from '../http/errors.ts';
import type { AffinityService } from './affinity.service.ts';

const tag = 'network';

export const affinityQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const affinityEntrySchema = z
  .object({
    commune: z.string().describe('The other commune’s handle'),
    name: z.string(),
    score: z.number().min(0).max(1),
    degree: z
      .number()
      .int()
      .nullable()
      .describe('Steps between them in the alliance graph; null beyond 6 or unlinked'),
    reasons: z.array(z.string()).describe('Why, in words; only what the caller may see'),
  })
  .meta({ id: 'AffinityEntry' });

export const personalAffinitySchema = affinityEntrySchema
  .extend({ from: z.string().describe('The caller’s commune this affinity comes through') })
  .meta({ id: 'PersonalAffinityEntry' });

export const getCommuneAffinity = declareRoute({
  method: 'get',
  path: '/communes/{c}/affinity',
  operationId: 'getCommuneAffinity',
  summary: 'Communes nearest this one, best first, with reasons (never by size or activity)',
  tag,
  access: { commune: 'visitor' },
  request: { params: communeParams, query: affinityQuery },
  responses: { 200: jsonResponse(z.array(affinityEntrySchema), 'Best first') },
});

export const getMyAffinity = declareRoute({
  method: 'get',
  path: '/me/affinity',
  operationId: 'getMyAffinity',
  summary: 'Communes nearest the caller, through the communes they belong to',
  tag,
  access: 'signed_in',
  request: { query: affinityQuery },
  responses: { 200: jsonResponse(z.array(personalAffinitySchema), 'Best first') },
});

export function affinityRoutes(
  affinity: Pick<AffinityService, 'forCommune' | 'forPerson'>,
  communes: Pick<CommunesService, 'permit'>,
) {
  const app = openApiApp();
  const inCommune = communeAccess(communes);
  mount(app, getCommuneAffinity, [inCommune('visitor')], async (c) =>
    respond(
      c,
      await affinity.forCommune(
        c.get('commune').communeId,
        viewerOf(c)?.id ?? null,
        c.req.valid('query').limit,
      ),
    ),
  );
  mount(app, getMyAffinity, [requireViewer], async (c) =>
    respond(c, await affinity.forPerson(signedIn(c).id, c.req.valid('query').limit)),
  );
  return app;
}
