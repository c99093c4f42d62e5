import type { Deps } from '../deps.ts';
import type { EventPublisher } from '../events/events.service.ts';
import { transact } from '../db/transaction.ts';
import { ok, type Result } from '../shared/result.ts';
import { decisionsFail } from './decisions.errors.ts';
import { parseWith } from '../http/validate.ts';
import type { ClosingService, TalliesService } from './closing.service.ts';
import { methods } from './methods/index.ts';
import type { ProposalView } from './proposal-view.ts';
import { votingEnded } from './proposals.ts';
import { proposalsRepository } from './proposals.repository.ts';
import type { AsMember, Entered, ProposalsService } from './proposals.service.ts';
import { settledByVotes } from './tallying.ts';
import { votesRepository } from './votes.repository.ts';

/** A ballot as listed: who (never on anonymous proposals), the vote, its reason. */
export type BallotView = {
  voter: string | null;
  vote: Record<string, unknown>;
  reason: string | null;
  castAt: string | null;
};

const closedForVotes = () => decisionsFail('voting_ended', 'Voting on this proposal has ended');

const splitReason = (vote: unknown): { vote: Record<string, unknown>; reason: string | null } => {
  const { reason, ...rest } = vote as Record<string, unknown> & { reason?: string };
  return { vote: rest, reason: reason ?? null };
};

/** Casting votes. A vote closes the proposal once the result is settled and no voter can still reconsider (tallying.ts settledByVotes). */
export function votesService(
  deps: Deps,
  parts: {
    proposals: ProposalsService;
    tallies: TalliesService;
    closing: ClosingService;
    events: EventPublisher;
  },
) {
  const { proposals, tallies, closing, events } = parts;

  return {
    /** On a proposal the caller entered as a member. */
    async cast(e: AsMember, body: unknown): Promise<Result<ProposalView>> {
      const { p } = e;
      const voter = e.viewerId;
      const vote = parseWith(
        methods[p.method].voteSchema(p.options, p.budget === null ? {} : { budget: p.budget }),
        body,
      );
      if (!vote.ok) return vote;
      const at = deps.clock.now().toISOString();
      if (at < p.opensAt) return decisionsFail('voting_not_open', `Voting opens at ${p.opensAt}`);
      if (votingEnded(p, at)) return closedForVotes();
      if (p.action?.type === 'remove_member' && p.subjectId === voter)
        return decisionsFail('subject_cannot_vote', 'You cannot vote on your own removal');

      const cast = await transact(deps, undefined, async (tx) => {
        if (!(await proposalsRepository(tx).lockOpen(p.id))) return closedForVotes();
        const votes = votesRepository(tx);
        if (p.anonymous) {
          if (!(await votes.addReceipt(p.id, voter)))
            return decisionsFail(
              'already_voted',
              'An anonymous vote is cast once and cannot be changed',
            );
          await votes.addAnonymous(p.id, vote.value);
        } else {
          await votes.upsert(p.id, voter, vote.value, at);
        }
        // The tally moved (live updates); who voted stays out of the event.
        const told = await events.publish(tx, {
          type: 'vote_cast',
          communeId: p.communeId,
          proposalId: p.id,
        });
        if (!told.ok) return told;
        const voters = await tallies.votersOf(p.communeId, tx);
        if (settledByVotes(p, await tallies.ballotsOf(p, tx), voters))
          await closing.closeIn(tx, p.id);
        return ok(undefined);
      });
      return cast.ok ? proposals.get(p.id, voter) : cast;
    },

    /**
     * The ballots, where the tally may be seen: named with their voter, anonymous ones without.
     * One per member at most (150), so the list comes whole and `next` is always null.
     */
    async ballots(
      e: Entered,
    ): Promise<Result<{ items: BallotView[]; next: null; anonymous: boolean }>> {
      const { p } = e;
      if ((await proposals.view(e)).tally === null) {
        return decisionsFail(
          'results_hidden',
          p.hideResults === 'until_vote'
            ? 'Ballots are shown once you have voted'
            : 'Ballots are shown once the proposal closes',
        );
      }
      const loaded = await tallies.ballotsOf(p);
      const items: BallotView[] = loaded.anonymous
        ? loaded.votes.map((v) => ({ voter: null, ...splitReason(v), castAt: null }))
        : loaded.votes.map((v) => ({
            voter: v.voterHandle,
            ...splitReason(v.vote),
            castAt: v.castAt,
          }));
      return ok({ items, next: null, anonymous: p.anonymous });
    },
  };
}
export type VotesService = ReturnType<typeof votesService>;
