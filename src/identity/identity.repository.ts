import type { CompiledQuery } from 'kysely';
import type { Db } from '../db/database.ts';
import { handlesRepository } from './handles.repository.ts';
import type { Account } from './identity.ts';

type AccountRow = { id: string; handle: string; display_name: string };
const toAccount = (r: AccountRow): Account => ({
  id: r.id,
  handle: r.handle,
  displayName: r.display_name,
});
type LiveSessionRow = AccountRow & {
  csrf_token: string;
  public_id: string;
  last_used_at: string | null;
  expires_at: string;
};

export type SessionRow = {
  public_id: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string;
  user_agent: string | null;
  token_hash: string;
};

async function revokeOthers(
  db: Db,
  accountId: string,
  keepTokenHash: string,
  now: string,
): Promise<number> {
  const r = await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('account_id', '=', accountId)
    .where('token_hash', '!=', keepTokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export function identityRepository(db: Db) {
  // Every signed-in request runs this, so it is compiled once; only the token and the time change.
  // It still reads the database each time: a revocation by any process counts at once.
  let liveSession: CompiledQuery<LiveSessionRow> | undefined;
  const liveSessionQuery = (tokenHash: string, now: string): CompiledQuery<LiveSessionRow> => {
    liveSession ??= db
      .selectFrom('sessions')
      .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
      .select([
        'accounts.id',
        'accounts.handle',
        'accounts.display_name',
        'sessions.csrf_token',
        'sessions.public_id',
        'sessions.last_used_at',
        'sessions.expires_at',
      ])
      .where('sessions.token_hash', '=', '')
      .where('sessions.revoked_at', 'is', null)
      .where('sessions.expires_at', '>', '')
      .compile();
    return { ...liveSession, parameters: [tokenHash, now] };
  };

  return {
    handleExists: (handle: string): Promise<boolean> => handlesRepository(db).taken(handle),

    async insertAccount(a: {
      id: string;
      handle: string;
      displayName: string;
      passwordHash: string;
      createdAt: string;
    }): Promise<void> {
      await db.transaction().execute(async (tx) => {
        await handlesRepository(tx).claim(a.handle, 'person');
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
      publicId: string;
      userAgent: string | null;
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
          public_id: s.publicId,
          last_used_at: s.createdAt,
          user_agent: s.userAgent,
        })
        .execute();
    },
    async touchSession(tokenHash: string, now: string): Promise<void> {
      await db
        .updateTable('sessions')
        .set({ last_used_at: now })
        .where('token_hash', '=', tokenHash)
        .execute();
    },
    /** Live sessions of one account, newest first; `before` is a created_at|public_id cursor. */
    async liveSessions(
      accountId: string,
      now: string,
      page: { limit: number; before?: { createdAt: string; publicId: string } },
    ): Promise<SessionRow[]> {
      let q = db
        .selectFrom('sessions')
        .select([
          'public_id',
          'created_at',
          'last_used_at',
          'expires_at',
          'user_agent',
          'token_hash',
        ])
        .where('account_id', '=', accountId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now);
      const before = page.before;
      if (before)
        q = q.where((eb) =>
          eb.or([
            eb('created_at', '<', before.createdAt),
            eb.and([
              eb('created_at', '=', before.createdAt),
              eb('public_id', '<', before.publicId),
            ]),
          ]),
        );
      return q
        .orderBy('created_at', 'desc')
        .orderBy('public_id', 'desc')
        .limit(page.limit + 1)
        .execute();
    },
    /** Ends one live session of the account; false when there is none by that id. */
    async revokeByPublicId(accountId: string, publicId: string, now: string): Promise<boolean> {
      const r = await db
        .updateTable('sessions')
        .set({ revoked_at: now })
        .where('account_id', '=', accountId)
        .where('public_id', '=', publicId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    /** Ends every live session of the account but the one given. */
    revokeOthers: (accountId: string, keepTokenHash: string, now: string) =>
      revokeOthers(db, accountId, keepTokenHash, now),
    /** A new password hash; the other sessions end in the same transaction. */
    async changePassword(
      accountId: string,
      passwordHash: string,
      keepTokenHash: string,
      now: string,
    ): Promise<void> {
      await db.transaction().execute(async (tx) => {
        await tx
          .updateTable('accounts')
          .set({ password_hash: passwordHash })
          .where('id', '=', accountId)
          .execute();
        await revokeOthers(tx, accountId, keepTokenHash, now);
      });
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
  };
}
export type IdentityRepository = ReturnType<typeof identityRepository>;
