import type { Deps } from '../deps.ts';
import type { Account } from '../identity/identity.ts';
import { transact } from '../db/transaction.ts';
import { toPage, type Page } from '../shared/pagination.ts';
import { fail, ok, type Result } from '../shared/result.ts';
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

/** Lending one's vote: set, replaced or revoked at any time, and visible to every member. */
export function delegationsService(deps: Deps, ports: DecisionPorts) {
  const { communes } = ports;
  const repo = () => delegationsRepository(deps.db);

  async function asMember(handle: string, viewer: Account | null): Promise<Result<string>> {
    const access = await communes.permit(handle, viewer?.id ?? null, 'member');
    return access.ok ? ok(access.value.communeId) : access;
  }

  return {
    async set(
      handle: string,
      viewer: Account | null,
      input: { to: string | null; topic?: string | null | undefined },
    ): Promise<Result<DelegationChange>> {
      const communeId = await asMember(handle, viewer);
      if (!communeId.ok) return communeId;
      const me = viewer!;
      const topic = input.topic ?? null;
      if (input.to === null) {
        await repo().revoke(communeId.value, me.id, topic);
        return ok({ from: me.handle, to: null, topic });
      }
      if (input.to === me.handle)
        return fail('rule_violation', 'self_delegation', 'You cannot delegate to yourself', 'to');
      const delegate = (await communes.roster(communeId.value)).find((m) => m.handle === input.to);
      if (!delegate)
        return fail(
          'rule_violation',
          'delegate_not_member',
          `@${input.to} is not a member of this commune`,
          'to',
        );
      const at = deps.clock.now().toISOString();
      return transact(deps, undefined, async (tx) => {
        const r = delegationsRepository(tx);
        await r.lockMember(deps.dialect, communeId.value, me.id);
        if (topic !== null) {
          const kept = await r.topicCount(communeId.value, me.id, topic);
          if (!kept.has && kept.count >= MAX_TOPIC_DELEGATIONS)
            return fail(
              'rule_violation',
              'too_many_delegations',
              `A member may delegate at most ${MAX_TOPIC_DELEGATIONS} topics; revoke one first`,
              'topic',
            );
        }
        await r.set(communeId.value, me.id, delegate.id, topic, at);
        return ok({ from: me.handle, to: delegate.handle, topic });
      });
    },

    /** Paged by delegator and topic (`after` is the previous page's `next`). */
    async list(
      handle: string,
      viewer: Account | null,
      q: DelegationsQuery,
    ): Promise<Result<Page<DelegationView>>> {
      const communeId = await asMember(handle, viewer);
      if (!communeId.ok) return communeId;
      const after = q.after === undefined ? undefined : decodeDelegationCursor(q.after);
      const rows = await delegationsView(deps.db).list(communeId.value, after, q.limit);
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
