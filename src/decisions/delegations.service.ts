import type { Permitted } from '../communes/access.ts';
import type { Deps } from '../deps.ts';
import type { Account } from '../identity/identity.ts';
import { transact } from '../db/transaction.ts';
import { toPage, type Page } from '../shared/pagination.ts';
import { ok, type AppError, type Result } from '../shared/result.ts';
import { decisionsFail, type DecisionsErrorCode } from './decisions.errors.ts';
import {
  MAX_TOPIC_DELEGATIONS,
  decodeDelegationCursor,
  encodeDelegationCursor,
  type DelegationsQuery,
} from './delegation-limits.ts';
import { delegationsRepository } from './delegations.repository.ts';
import { delegationsView, type DelegationView } from './delegations.view.ts';
import type { DecisionPorts } from './ports.ts';

export type DelegationChange = { from: string; to: string | null; topic: string | null };

type Failure = AppError<DecisionsErrorCode>;

/**
 * Lending one's vote: set, replaced or revoked at any time, and visible to every member.
 * Callers pass the commune the access rule let them into (inCommune('member')).
 */
export function delegationsService(deps: Deps, ports: DecisionPorts) {
  const { communes } = ports;
  const repo = () => delegationsRepository(deps.db);

  return {
    async set(
      commune: Permitted,
      me: Account,
      input: { to: string | null; topic?: string | null | undefined },
    ): Promise<Result<DelegationChange, Failure>> {
      const communeId = commune.communeId;
      const topic = input.topic ?? null;
      if (input.to === null) {
        await repo().revoke(communeId, me.id, topic);
        return ok({ from: me.handle, to: null, topic });
      }
      if (input.to === me.handle)
        return decisionsFail('self_delegation', 'You cannot delegate to yourself', { field: 'to' });
      const delegate = (await communes.roster(communeId)).find((m) => m.handle === input.to);
      if (!delegate)
        return decisionsFail(
          'delegate_not_member',
          `@${input.to} is not a member of this commune`,
          {
            field: 'to',
          },
        );
      const at = deps.clock.now().toISOString();
      return transact(deps, undefined, async (tx) => {
        const r = delegationsRepository(tx);
        await r.lockMember(deps.dialect, communeId, me.id);
        if (topic !== null) {
          const kept = await r.topicCount(communeId, me.id, topic);
          if (!kept.has && kept.count >= MAX_TOPIC_DELEGATIONS)
            return decisionsFail(
              'too_many_delegations',
              `A member may delegate at most ${MAX_TOPIC_DELEGATIONS} topics; revoke one first`,
              { field: 'topic' },
            );
        }
        await r.set(communeId, me.id, delegate.id, topic, at);
        return ok({ from: me.handle, to: delegate.handle, topic });
      });
    },

    /** Paged by delegator and topic (`after` is the previous page's `next`). */
    async list(commune: Permitted, q: DelegationsQuery): Promise<Result<Page<DelegationView>>> {
      const communeId = commune.communeId;
      const after = q.after === undefined ? undefined : decodeDelegationCursor(q.after);
      const rows = await delegationsView(deps.db).list(communeId, after, q.limit);
      const page = toPage(rows, q.limit, (r) =>
        encodeDelegationCursor({ from: r.from, topic: r.storedTopic }),
      );
      return ok({
        items: page.items.map(({ from, to, topic, createdAt }) => ({ from, to, topic, createdAt })),
        next: page.next,
      });
    },
  };
}
export type DelegationsService = ReturnType<typeof delegationsService>;
