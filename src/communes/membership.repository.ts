import type { Role } from './communes.ts';
import type { Executor } from '../db/transaction.ts';

export type ApplicationRecord = {
  id: string;
  communeId: string;
  accountId: string;
  status: 'pending' | 'approved' | 'rejected';
};
export type InviteRecord = { codeHash: string; communeId: string; createdBy: string };

/** Memberships, the member count that caps them, applications and invites. */
export function membershipRepository(db: Executor) {
  return {
    /** Takes one free place; the row lock this UPDATE holds is what makes the cap hold under races. */
    async claimPlace(communeId: string): Promise<boolean> {
      const r = await db
        .updateTable('communes')
        .set((eb) => ({ member_count: eb('member_count', '+', 1) }))
        .where('id', '=', communeId)
        .whereRef('member_count', '<', 'max_members')
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },

    async releasePlace(communeId: string): Promise<void> {
      await db
        .updateTable('communes')
        .set((eb) => ({ member_count: eb('member_count', '-', 1) }))
        .where('id', '=', communeId)
        .execute();
    },

    async insertMembership(m: {
      communeId: string;
      accountId: string;
      role: Role;
      joinedAt: string;
    }): Promise<void> {
      await db
        .insertInto('memberships')
        .values({
          commune_id: m.communeId,
          account_id: m.accountId,
          role: m.role,
          joined_at: m.joinedAt,
        })
        .execute();
    },

    async deleteMembership(communeId: string, accountId: string): Promise<void> {
      await db
        .deleteFrom('memberships')
        .where('commune_id', '=', communeId)
        .where('account_id', '=', accountId)
        .execute();
    },

    async roleOf(communeId: string, accountId: string): Promise<Role | null> {
      const r = await db
        .selectFrom('memberships')
        .select('role')
        .where('commune_id', '=', communeId)
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      return r?.role ?? null;
    },

    async countOthers(
      communeId: string,
      accountId: string,
    ): Promise<{ stewards: number; members: number }> {
      const r = await db
        .selectFrom('memberships')
        .select((eb) => [
          eb.fn.countAll().as('members'),
          eb.fn.count(eb.case().when('role', '=', 'steward').then(1).end()).as('stewards'),
        ])
        .where('commune_id', '=', communeId)
        .where('account_id', '!=', accountId)
        .executeTakeFirst();
      return { stewards: Number(r?.stewards ?? 0), members: Number(r?.members ?? 0) };
    },

    async setRole(communeId: string, accountId: string, role: Role): Promise<void> {
      await db
        .updateTable('memberships')
        .set({ role })
        .where('commune_id', '=', communeId)
        .where('account_id', '=', accountId)
        .execute();
    },

    async membershipsOf(accountId: string): Promise<{ handle: string; role: Role }[]> {
      return db
        .selectFrom('memberships')
        .innerJoin('communes', 'communes.id', 'memberships.commune_id')
        .select(['communes.handle', 'memberships.role'])
        .where('memberships.account_id', '=', accountId)
        .orderBy('memberships.joined_at')
        .orderBy('communes.handle')
        .execute();
    },

    async insertApplication(a: {
      id: string;
      communeId: string;
      accountId: string;
      message: string;
      status: ApplicationRecord['status'];
      createdAt: string;
      decidedBy: string | null;
    }): Promise<void> {
      await db
        .insertInto('applications')
        .values({
          id: a.id,
          commune_id: a.communeId,
          account_id: a.accountId,
          message: a.message,
          status: a.status,
          created_at: a.createdAt,
          decided_at: a.status === 'pending' ? null : a.createdAt,
          decided_by: a.decidedBy,
        })
        .execute();
    },

    async findApplication(id: string): Promise<ApplicationRecord | undefined> {
      const r = await db
        .selectFrom('applications')
        .select(['id', 'commune_id', 'account_id', 'status'])
        .where('id', '=', id)
        .executeTakeFirst();
      return r && { id: r.id, communeId: r.commune_id, accountId: r.account_id, status: r.status };
    },

    /** Decides a pending application; false when someone else already decided it. */
    async decideApplication(
      id: string,
      status: 'approved' | 'rejected',
      decidedBy: string | null,
      at: string,
    ): Promise<boolean> {
      const r = await db
        .updateTable('applications')
        .set({ status, decided_by: decidedBy, decided_at: at })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },

    /** Someone admitted by another way no longer waits in the queue. */
    async settlePending(communeId: string, accountId: string, at: string): Promise<void> {
      await db
        .updateTable('applications')
        .set({ status: 'approved', decided_at: at })
        .where('commune_id', '=', communeId)
        .where('account_id', '=', accountId)
        .where('status', '=', 'pending')
        .execute();
    },

    async insertInvite(i: {
      codeHash: string;
      communeId: string;
      createdBy: string;
      createdAt: string;
      expiresAt: string;
    }): Promise<void> {
      await db
        .insertInto('invites')
        .values({
          code: i.codeHash,
          commune_id: i.communeId,
          created_by: i.createdBy,
          created_at: i.createdAt,
          expires_at: i.expiresAt,
          used_by: null,
          used_at: null,
        })
        .execute();
    },

    async findUsableInvite(
      codeHash: string,
      communeId: string,
      now: string,
    ): Promise<InviteRecord | undefined> {
      const r = await db
        .selectFrom('invites')
        .select(['code', 'commune_id', 'created_by'])
        .where('code', '=', codeHash)
        .where('commune_id', '=', communeId)
        .where('used_by', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return r && { codeHash: r.code, communeId: r.commune_id, createdBy: r.created_by };
    },

    /** Marks an invite used; false when it was used or expired in the meantime (single use under races). */
    async consumeInvite(
      codeHash: string,
      communeId: string,
      accountId: string,
      now: string,
    ): Promise<boolean> {
      const r = await db
        .updateTable('invites')
        .set({ used_by: accountId, used_at: now })
        .where('code', '=', codeHash)
        .where('commune_id', '=', communeId)
        .where('used_by', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
  };
}
export type MembershipRepository = ReturnType<typeof membershipRepository>;
