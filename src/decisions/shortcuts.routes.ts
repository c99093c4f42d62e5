// Once decisions exist, the steward routes that used to bypass them answer 422
// decision_required and name the way through a proposal instead. Mounted before the
// communes and ledger routes, so those handlers are no longer reached
// (docs/adr/0008-decisions-and-actions.md).
import { Hono, type Context } from 'hono';
import type { CommuneAccess } from '../communes/communes.ts';
import { viewerOf } from '../http/auth.ts';
import { sendError } from '../http/errors.ts';
import type { Operation } from '../http/openapi.ts';
import { notFound, type AppError, type Result } from '../shared/result.ts';
import type { DecisionsService } from './decisions.service.ts';

const tag = 'decisions';
const responses = (what: string) => ({
  401: 'Not signed in',
  403: 'members_only',
  404: 'Not found',
  422: `decision_required: ${what}`,
});

export const shortcutsOperations: Operation[] = [
  {
    method: 'post',
    path: '/api/v1/communes/{c}/applications/{id}/approve',
    tag,
    auth: true,
    summary: 'Replaced by admit_member proposals: names the open one',
    responses: {
      ...responses('vote on the admit_member proposal'),
      409: 'application_not_pending',
    },
  },
  {
    method: 'post',
    path: '/api/v1/communes/{c}/applications/{id}/reject',
    tag,
    auth: true,
    summary: 'Replaced by admit_member proposals: object to (or vote against) the open one',
    responses: {
      ...responses('vote on the admit_member proposal'),
      409: 'application_not_pending',
    },
  },
  {
    method: 'put',
    path: '/api/v1/communes/{c}',
    tag,
    auth: true,
    summary: 'Replaced by amend_charter proposals',
    responses: responses('propose amend_charter'),
  },
  {
    method: 'put',
    path: '/api/v1/communes/{c}/currency',
    tag,
    auth: true,
    summary: 'Replaced by set_currency proposals',
    responses: responses('propose set_currency'),
  },
  {
    method: 'put',
    path: '/api/v1/communes/{c}/accounts/{handle}/credit-limit',
    tag,
    auth: true,
    summary: 'Replaced by set_credit_limit proposals',
    responses: responses('propose set_credit_limit'),
  },
];

const decisionRequired = (message: string): AppError => ({
  type: 'rule_violation',
  code: 'decision_required',
  message,
});

export function shortcutsRoutes(decisions: DecisionsService) {
  const { communes } = decisions.ports;

  /** The one access rule: hidden 404, then 401, then members only. */
  async function member(c: Context): Promise<Result<CommuneAccess>> {
    return communes.permit(c.req.param('c') ?? '', viewerOf(c)?.id ?? null, 'member');
  }

  async function admission(c: Context): Promise<AppError> {
    const m = await member(c);
    if (!m.ok) return m.error;
    const { communeId, handle } = m.value;
    const application = await communes.applicationOf(communeId, c.req.param('id') ?? '');
    if (!application) return notFound('Application').error;
    if (application.status !== 'pending')
      return {
        type: 'conflict',
        code: 'application_not_pending',
        message: 'This application has already been decided',
      };
    const open = await decisions.openAdmission(communeId, application.accountId);
    return decisionRequired(
      open
        ? `The commune decides admissions: vote on proposal ${open} (POST /api/v1/proposals/${open}/votes)`
        : `The commune decides admissions: propose it with POST /api/v1/communes/${handle}/proposals and action { type: "admit_member", params: { application: "${application.id}" } }`,
    );
  }

  const byProposal = (type: string, params: string) => async (c: Context) => {
    const m = await member(c);
    return sendError(
      c,
      m.ok
        ? decisionRequired(
            `The commune decides this: propose it with POST /api/v1/communes/${m.value.handle}/proposals and action { type: "${type}", params: ${params} }`,
          )
        : m.error,
    );
  };

  return new Hono()
    .post('/communes/:c/applications/:id/approve', async (c) => sendError(c, await admission(c)))
    .post('/communes/:c/applications/:id/reject', async (c) => sendError(c, await admission(c)))
    .put('/communes/:c', byProposal('amend_charter', '{ …fields to change }'))
    .put('/communes/:c/currency', byProposal('set_currency', '{ …fields to change }'))
    .put(
      '/communes/:c/accounts/:owner/credit-limit',
      byProposal('set_credit_limit', '{ member, limit }'),
    );
}
