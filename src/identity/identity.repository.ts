import type { CompiledQuery } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Account } from './identity.ts';

type AccountRow = { id: string; handle: string; display_name: string };
const toAccount = (r: AccountRow): Account => ({
  id: r.id,
  handle: r.handle,
  displayName: r.display_name,
});
type LiveSessionRow = AccountRow & { csrf_token: string };

export function identityRepository(db: Db) {
  // Every signed-in request runs this, so it is compiled once; only the token and the time change.
  // It still reads the database each time: a revocation by any process counts at once.
  let liveSession: CompiledQuery<LiveSessionRow> | undefined;
  const liveSessionQuery = (tokenHash: string, now: string): CompiledQuery<LiveSessionRow> => {
    liveSession ??= db
      .selectFrom('sessions')
      .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
      .select(['accounts.id', 'accounts.handle', 'accounts.display_name', 'sessions.csrf_token'])
      .where('sessions.token_hash', '=', '')
      .where('sessions.revoked_at', 'is', null)
      .where('sessions.expires_at', '>', '')
      .compile();
    return { ...liveSession, parameters: [tokenHash, now] };
  };

  return {
    async handleExists(handle: string): Promise<boolean> {
      return (
        (await db
          .selectFrom('handles')
          .select('handle')
          .where('handle', '=', handle)
          .executeTakeFirst()) !== undefined
      );
    },

    async insertAccount(a: {
      id: string;
      handle: string;
      displayName: string;
      passwordHash: string;
      createdAt: string;
    }): Promise<void> {
      await db.transaction().execute(async (tx) => {
        await tx.insertInto('handles').values({ handle: a.handle, kind: 'person' }).execute();
        await tx
          .insertInto('accounts')
          .values({
            id: a.id,
            handle: a.handle,
            display_name: a.displayName,
            password_hash: a.passwordHash,
            created_at: a.createdAt,
          })
          .execute();
      });
    },

    async findCredentials(
      handle: string,
    ): Promise<(Account & { passwordHash: string }) | undefined> {
      const r = await db
        .selectFrom('accounts')
        .select(['id', 'handle', 'display_name', 'password_hash'])
        .where('handle', '=', handle)
        .executeTakeFirst();
      return r && { ...toAccount(r), passwordHash: r.password_hash };
    },

    async findByHandle(handle: string): Promise<Account | undefined> {
      const r = await db
        .selectFrom('accounts')
        .select(['id', 'handle', 'display_name'])
        .where('handle', '=', handle)
        .executeTakeFirst();
      return r && toAccount(r);
    },

    async insertSession(s: {
      tokenHash: string;
      accountId: string;
      csrfToken: string;
      createdAt: string;
      expiresAt: string;
    }): Promise<void> {
      await db
        .insertInto('sessions')
        .values({
          token_hash: s.tokenHash,
          account_id: s.accountId,
          csrf_token: s.csrfToken,
          created_at: s.createdAt,
          expires_at: s.expiresAt,
          revoked_at: null,
        })
        .execute();
    },

    async findLiveSession(tokenHash: string, now: string): Promise<LiveSessionRow | undefined> {
      return (await db.executeQuery(liveSessionQuery(tokenHash, now))).rows[0];
    },

    async revokeSession(tokenHash: string, now: string): Promise<void> {
      await db
        .updateTable('sessions')
        .set({ revoked_at: now })
        .where('token_hash', '=', tokenHash)
        .execute();
    },

    async recordFailure(f: {
      id: string;
      handle: string;
      address: string;
      at: string;
    }): Promise<void> {
      await db.insertInto('sign_in_failures').values(f).execute();
    },

    async countFailures(
      handle: string,
      address: string,
      since: string,
    ): Promise<{ byHandle: number; byAddress: number }> {
      const count = async (column: 'handle' | 'address', value: string) => {
        const r = await db
          .selectFrom('sign_in_failures')
          .select((eb) => eb.fn.countAll().as('n'))
          .where(column, '=', value)
          .where('at', '>', since)
          .executeTakeFirst();
        return Number(r?.n ?? 0);
      };
      return {
        byHandle: await count('handle', handle),
        byAddress: await count('address', address),
      };
    },

    async clearFailures(handle: string): Promise<void> {
      await db.deleteFrom('sign_in_failures').where('handle', '=', handle).execute();
    },
  };
}
export type IdentityRepository = ReturnType<typeof identityRepository>;
