import type { Deps } from '../deps.ts';
import type { EventOf } from '../events/events.ts';
import type { EventPublisher } from '../events/events.service.ts';
import { jobQueue } from '../jobs/runner.ts';
import { newId } from '../shared/ids.ts';
import { governanceService } from './governance.service.ts';
import { methods } from './methods/index.ts';
import { handlesRepository } from '../identity/handles.repository.ts';
import { proposalsRepository, type NewProposal } from './proposals.repository.ts';
import { allianceConsentsRepository } from './actions/alliances.repository.ts';
import { mirrorTerms } from '../network/alliances.ts';
import { handleOfCommune } from './partners.view.ts';
import type { Executor } from '../db/transaction.ts';

export const CLOSE_PROPOSAL = 'close_proposal';
const HOUR = 3_600_000;

/** Stores a proposal, queues its close at closesAt and announces it, in one transaction. */
export async function openProposal(
  deps: Deps,
  events: EventPublisher,
  tx: Executor,
  p: NewProposal,
): Promise<void> {
  await proposalsRepository(tx).insert(p);
  await jobQueue(deps).enqueue(tx, { kind: CLOSE_PROPOSAL, key: p.id, runAt: p.closesAt });
  const told = await events.publish(tx, {
    type: 'proposal_opened',
    communeId: p.communeId,
    proposalId: p.id,
  });
  if (!told.ok) throw new Error(`a proposal_opened subscriber refused: ${told.error.code}`);
}

/**
 * A pending application opens its admit_member proposal by itself, under the commune's
 * admission rule, in the transaction that filed it (an in-transaction subscriber).
 */
export async function openAdmission(
  deps: Deps,
  events: EventPublisher,
  tx: Executor,
  a: EventOf<'application_submitted'>,
  at: string,
): Promise<void> {
  const rule = (await governanceService(deps).rulesOf(a.communeId, tx)).admit_member;
  const handle = (await handlesRepository(tx).handleOf(a.accountId)) ?? 'someone';
  const options = methods[rule.method].validateOptions(undefined);
  await openProposal(deps, events, tx, {
    id: newId(),
    communeId: a.communeId,
    authorId: null,
    title: `Admit @${handle}`,
    // The message stays with the application (members only): proposals of a public commune are public.
    body: `@${handle} applied to join; members can read the application message in the applications list`,
    method: rule.method,
    options: options.ok ? options.value : [],
    quorum: rule.quorum,
    threshold: rule.threshold,
    thresholdBasis: rule.thresholdBasis,
    budget: null,
    anonymous: false,
    hideResults: 'never',
    topic: null,
    opensAt: at,
    closesAt: new Date(new Date(at).getTime() + rule.durationHours * HOUR).toISOString(),
    action: {
      type: 'admit_member',
      params: { application: a.applicationId, applicant: handle },
    },
    subjectId: a.accountId,
    createdAt: at,
  });
}

/**
 * A commune asked another to ally (its form_alliance passed, or it countered): a form_alliance
 * proposal with the mirrored terms opens in the asked commune, under its own rule, in the
 * same transaction, as an application opens its admission proposal.
 */
export async function openAllianceRequest(
  deps: Deps,
  events: EventPublisher,
  tx: Executor,
  r: EventOf<'alliance_requested'>,
  at: string,
): Promise<void> {
  const offer = await allianceConsentsRepository(tx).latest(r.communeId, r.partnerId);
  if (offer?.kind !== 'form' || offer.tradeLimit === null || offer.rate === null)
    throw new Error(`alliance ${r.allianceId} was requested without a form consent`);
  const terms = mirrorTerms({ tradeLimit: offer.tradeLimit, rate: offer.rate });
  const rule = (await governanceService(deps).rulesOf(r.partnerId, tx)).form_alliance;
  const asker = (await handleOfCommune(tx, r.communeId)) ?? 'unknown';
  const options = methods[rule.method].validateOptions(undefined);
  await openProposal(deps, events, tx, {
    id: newId(),
    communeId: r.partnerId,
    authorId: null,
    title: `Ally with @${asker}`,
    body:
      `@${asker} decided to ally with this commune: a trade limit of ${terms.tradeLimit} ` +
      `in our currency, ${terms.rate} of theirs for one of ours. Passing these terms forms ` +
      'the alliance; a form_alliance with other terms is a counter-offer.',
    method: rule.method,
    options: options.ok ? options.value : [],
    quorum: rule.quorum,
    threshold: rule.threshold,
    thresholdBasis: rule.thresholdBasis,
    budget: null,
    anonymous: false,
    hideResults: 'never',
    topic: null,
    opensAt: at,
    closesAt: new Date(new Date(at).getTime() + rule.durationHours * HOUR).toISOString(),
    action: {
      type: 'form_alliance',
      params: { commune: asker, ...terms, communeId: r.communeId },
    },
    subjectId: null,
    createdAt: at,
  });
}
