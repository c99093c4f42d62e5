// Once decisions exist, the steward routes that used to bypass them answer 422
// decision_required and name the way through a proposal instead. Mounted before the
// communes and ledger routes, so those handlers are no longer reached
// (docs/adr/0008-decisions-and-actions.md).
import type { Permitted } from '../communes/access.ts';
import { communeParams } from '../communes/communes.schemas.ts';
import { communeAccess } from '../http/access.ts';
import { declareRoute, mount, openApiApp, type RouteDeclaration } from '../http/declare.ts';
import { sendError } from '../http/errors.ts';
import type { AppError } from '../shared/result.ts';
import { decisionsFail, type DecisionsErrorCode } from './decisions.errors.ts';
import type { DecisionsService } from './decisions.service.ts';
import { accountParams, applicationParams } from './delegations.schemas.ts';

const tag = 'decisions';

/** A route that never succeeds any more: members learn which proposal to make or vote on. */
const replaced = <const D extends Omit<RouteDeclaration, 'tag' | 'access' | 'responses'>>(d: D) =>
  declareRoute({
    ...d,
    tag,
    access: { commune: 'member' },
    deprecated: true,
    responses: {},
    errors: ['decision_required', ...(d.errors ?? [])],
  });

export const approveApplication = replaced({
  method: 'post',
  path: '/communes/{c}/applications/{id}/approve',
  operationId: 'approveApplication',
  summary: 'Replaced by admit_member proposals: names the open one',
  request: { params: applicationParams },
  errors: ['application_not_found', 'application_not_pending'],
});

export const rejectApplication = replaced({
  method: 'post',
  path: '/communes/{c}/applications/{id}/reject',
  operationId: 'rejectApplication',
  summary: 'Replaced by admit_member proposals: object to (or vote against) the open one',
  request: { params: applicationParams },
  errors: ['application_not_found', 'application_not_pending'],
});

export const updateCommune = replaced({
  method: 'put',
  path: '/communes/{c}',
  operationId: 'updateCommune',
  summary: 'Replaced by amend_charter proposals',
  request: { params: communeParams },
});

export const updateCurrency = replaced({
  method: 'put',
  path: '/communes/{c}/currency',
  operationId: 'updateCurrency',
  summary: 'Replaced by set_currency proposals',
  request: { params: communeParams },
});

export const setCreditLimit = replaced({
  method: 'put',
  path: '/communes/{c}/accounts/{owner}/credit-limit',
  operationId: 'setCreditLimit',
  summary: 'Replaced by set_credit_limit proposals',
  request: { params: accountParams },
});

type Failure = AppError<DecisionsErrorCode>;

const decisionRequired = (message: string): Failure =>
  decisionsFail('decision_required', message).error;

const proposeIt = (commune: Permitted, type: string, params: string): Failure =>
  decisionRequired(
    `The commune decides this: propose it with POST /api/v1/communes/${commune.handle}/proposals and action { type: "${type}", params: ${params} }`,
  );

export function shortcutsRoutes(decisions: DecisionsService) {
  const { communes } = decisions.ports;
  const inCommune = communeAccess(communes);

  async function admission(commune: Permitted, applicationId: string): Promise<Failure> {
    const application = await communes.applicationOf(commune.communeId, applicationId);
    if (!application) return decisionsFail('application_not_found', 'Application not found').error;
    if (application.status !== 'pending')
      return decisionsFail('application_not_pending', 'This application has already been decided')
        .error;
    const open = await decisions.openAdmission(commune.communeId, application.accountId);
    return decisionRequired(
      open
        ? `The commune decides admissions: vote on proposal ${open} (POST /api/v1/proposals/${open}/votes)`
        : `The commune decides admissions: propose it with POST /api/v1/communes/${commune.handle}/proposals and action { type: "admit_member", params: { application: "${application.id}" } }`,
    );
  }

  const app = openApiApp();
  const member = [inCommune('member')];
  for (const route of [approveApplication, rejectApplication])
    mount(app, route, member, async (c) =>
      sendError(c, await admission(c.get('commune'), c.req.valid('param').id)),
    );
  mount(app, updateCommune, member, (c) =>
    sendError(c, proposeIt(c.get('commune'), 'amend_charter', '{ …fields to change }')),
  );
  mount(app, updateCurrency, member, (c) =>
    sendError(c, proposeIt(c.get('commune'), 'set_currency', '{ …fields to change }')),
  );
  mount(app, setCreditLimit, member, (c) =>
    sendError(c, proposeIt(c.get('commune'), 'set_credit_limit', '{ member, limit }')),
  );
  return app;
}
