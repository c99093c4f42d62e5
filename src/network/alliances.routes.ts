import { z } from '@hono/zod-openapi';
import { communeParams } from '../communes/communes.schemas.ts';
import type { CommunesService } from '../communes/communes.service.ts';
import { communeAccess } from '../http/access.ts';
import { declareRoute, jsonResponse, mount, openApiApp } from '../http/declare.ts';
import { respond } from '../http/errors.ts';
import type { AlliancesService } from './alliances.service.ts';

const tag = 'network';

export const allianceSchema = z
  .object({
    commune: z.string().describe('The partner commune’s handle'),
    since: z.string().describe('When it became active; for a request, when it was asked'),
    tradeLimit: z.number().int().describe('The trade limit, in this commune’s currency'),
    rate: z.number().describe('Units of the partner’s currency for one unit of ours'),
    balance: z
      .number()
      .int()
      .describe('The partner’s clearing account in this commune’s ledger (0 when none)'),
    status: z.enum(['active', 'requested', 'ended']),
    currency: z
      .object({ code: z.string(), name: z.string(), unit: z.string(), decimals: z.number().int() })
      .nullable()
      .describe('The partner’s currency (public even where its books are not)'),
  })
  .openapi('Alliance');

export const listAlliances = declareRoute({
  method: 'get',
  path: '/communes/{c}/alliances',
  operationId: 'listAlliances',
  summary: 'The commune’s alliances, latest first (partners the caller may not see are left out)',
  tag,
  access: { commune: 'visitor' },
  request: { params: communeParams },
  responses: { 200: jsonResponse(z.array(allianceSchema), 'The alliances') },
});

export function alliancesRoutes(
  alliances: Pick<AlliancesService, 'list'>,
  communes: Pick<CommunesService, 'permit'>,
) {
  const app = openApiApp();
  const inCommune = communeAccess(communes);
  mount(app, listAlliances, [inCommune('visitor')], async (c) =>
    respond(c, await alliances.list(c.get('commune'))),
  );
  return app;
}
