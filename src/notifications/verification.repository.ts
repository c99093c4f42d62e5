// SQL on email verification links (migration 0026) and the verified mark of an address.
import type { Executor } from '../db/transaction.ts';
import type { EmailVerificationTable } from '../db/schema.notifications.ts';

export type VerificationRow = EmailVerificationTable;

export function verificationRepository(db: Executor) {
  return {
    /** When the person's links went out since `since`, newest first. */
    async sentSince(accountId: string, since: string): Promise<string[]> {
      const rows = await db
        .selectFrom('email_verifications')
        .select('created_at')
        .where('account_id', '=', accountId)
        .where('created_at', '>', since)
        .orderBy('created_at', 'desc')
        .execute();
      return rows.map((r) => r.created_at);
    },

    /** The newest link for this address still usable at `now`, if any. */
    async pending(accountId: string, address: string, now: string) {
      return db
        .selectFrom('email_verifications')
        .select(['created_at', 'expires_at'])
        .where('account_id', '=', accountId)
        .where('address', '=', address)
        .where('used_at', 'is', null)
        .where('replaced_at', 'is', null)
        .where('expires_at', '>', now)
        .orderBy('created_at', 'desc')
        .executeTakeFirst();
    },

    /** Unused links stop working (the address changed, or a newer link replaces them). */
    async endUnused(accountId: string, at: string): Promise<void> {
      await db
        .updateTable('email_verifications')
        .set({ replaced_at: at })
        .where('account_id', '=', accountId)
        .where('used_at', 'is', null)
        .where('replaced_at', 'is', null)
        .execute();
    },

    async insert(row: Omit<VerificationRow, 'used_at' | 'replaced_at'>): Promise<void> {
      await db
        .insertInto('email_verifications')
        .values({ ...row, used_at: null, replaced_at: null })
        .execute();
    },

    async remove(tokenHash: string): Promise<void> {
      await db.deleteFrom('email_verifications').where('token_hash', '=', tokenHash).execute();
    },

    async find(tokenHash: string): Promise<VerificationRow | undefined> {
      return db
        .selectFrom('email_verifications')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
    },

    /** Uses the link: true for the one caller that did (single use, even at once). */
    async use(tokenHash: string, at: string): Promise<boolean> {
      const r = await db
        .updateTable('email_verifications')
        .set({ used_at: at })
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('replaced_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    /** Marks the address verified if it is still the person's address. */
    async markVerified(accountId: string, address: string, at: string): Promise<boolean> {
      const r = await db
        .updateTable('notification_settings')
        .set({ address_verified_at: at })
        .where('account_id', '=', accountId)
        .where('address', '=', address)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
  };
}
