import type { MembershipHooks } from '../communes/communes.ts';
import type { Deps } from '../deps.ts';
import { jobQueue } from '../jobs/runner.ts';
import { newId } from '../shared/ids.ts';
import { ok } from '../shared/result.ts';
import { delegationsRepository } from './delegations.repository.ts';
import { governanceService } from './governance.service.ts';
import { methods } from './methods/index.ts';
import {
  handleOfAccount,
  proposalsRepository,
  type Executor,
  type NewProposal,
} from './proposals.repository.ts';

export const CLOSE_PROPOSAL = 'close_proposal';
const HOUR = 3_600_000;

/** Stores a proposal and queues its close at closesAt, in one transaction. */
export async function openProposal(deps: Deps, tx: Executor, p: NewProposal): Promise<void> {
  await proposalsRepository(tx).insert(p);
  await jobQueue(deps).enqueue(tx, { kind: CLOSE_PROPOSAL, key: p.id, runAt: p.closesAt });
}

/**
 * The membership hooks decisions adds to the ledger's: a pending application opens its
 * admit_member proposal by itself (under the commune's admission rule), and someone who
 * leaves takes their delegations with them.
 */
export function withDecisionHooks(deps: Deps, base: MembershipHooks): MembershipHooks {
  const governance = governanceService(deps);
  return {
    ...base,
    async applicationSubmitted(tx, a) {
      const rule = (await governance.rulesOf(a.communeId, tx)).admit_member;
      const handle = (await handleOfAccount(tx, a.accountId)) ?? 'someone';
      const options = methods[rule.method].validateOptions(undefined);
      const at = new Date(a.at);
      await openProposal(deps, tx, {
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
        opensAt: a.at,
        closesAt: new Date(at.getTime() + rule.durationHours * HOUR).toISOString(),
        action: {
          type: 'admit_member',
          params: { application: a.applicationId, applicant: handle },
        },
        subjectId: a.accountId,
        createdAt: a.at,
      });
    },
    async memberLeaving(tx, communeId, accountId) {
      const allowed = await base.memberLeaving?.(tx, communeId, accountId);
      if (allowed && !allowed.ok) return allowed;
      await delegationsRepository(tx).removeInvolving(communeId, accountId);
      return ok(undefined);
    },
  };
}
