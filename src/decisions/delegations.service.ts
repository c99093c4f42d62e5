import type { Deps } from '../deps.ts';
import type { Account } from '../identity/identity.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { delegationsRepository, type DelegationView } from './delegations.repository.ts';
import type { DecisionPorts } from './ports.ts';

export type DelegationChange = { from: string; to: string | null; topic: string | null };

/** Lending one's vote: set, replaced or revoked at any time, and visible to every member. */
export function delegationsService(deps: Deps, ports: DecisionPorts) {
  const { communes } = ports;
  const repo = () => delegationsRepository(deps.db);

  async function asMember(handle: string, viewer: Account | null): Promise<Result<string>> {
    const access = await communes.access(handle, viewer?.id ?? null);
    if (!access.ok) return access;
    if (viewer === null) return fail('unauthenticated', 'not_signed_in', 'Sign in first');
    if (access.value.role === null)
      return fail('forbidden', 'members_only', 'Only members of this commune may do this');
    return ok(access.value.communeId);
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
      await repo().set(communeId.value, me.id, delegate.id, topic, deps.clock.now().toISOString());
      return ok({ from: me.handle, to: delegate.handle, topic });
    },

    /** Every delegation at once: at most one per member and topic in a commune of at most 150, so `next` is always null. */
    async list(
      handle: string,
      viewer: Account | null,
    ): Promise<Result<{ items: DelegationView[]; next: null }>> {
      const communeId = await asMember(handle, viewer);
      return communeId.ok
        ? ok({ items: await repo().list(communeId.value), next: null })
        : communeId;
    },
  };
}
export type DelegationsService = ReturnType<typeof delegationsService>;
