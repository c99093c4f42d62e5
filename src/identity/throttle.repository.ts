import { sql } from 'kysely';
import type { Db, Dialect } from '../db/database.ts';
import type { Executor } from '../db/transaction.ts';
import { MAX_FAILURES_PER_ADDRESS, type SignInHistory } from './throttle.ts';

// Advisory-lock classes (the first key of pg_advisory_xact_lock(int, int)).
const HANDLE_LOCK = 727_101;
const ADDRESS_LOCK = 727_102;
const SIGN_UP_LOCK = 727_103;

const COUNTED = ['pending', 'failed', 'forgiven'] as const;

/**
 * Serialises attempts on one key until the transaction ends, across every process. SQLite
 * needs nothing more: its transactions begin IMMEDIATE and so already run one at a time.
 */
async function lock(tx: Executor, dialect: Dialect, lockClass: number, key: string) {
  if (dialect === 'postgres')
    await sql`select pg_advisory_xact_lock(${lockClass}, hashtext(${key}))`.execute(tx);
}

export function throttleRepository(db: Db, dialect: Dialect) {
  return {
    /**
     * Under a lock on the handle and the address: reads their history, asks `admit` when the
     * attempt may start, and records it as pending when that is now. Handle locks are always
     * taken before address locks, so two attempts never wait on each other in a cycle.
     */
    async beginSignIn(
      a: { id: string; handle: string; address: string; now: Date },
      since: { handle: string; address: string },
      admit: (history: SignInHistory) => Date,
    ): Promise<{ admitted: true } | { admitted: false; until: Date }> {
      return db.transaction().execute(async (tx) => {
        await lock(tx, dialect, HANDLE_LOCK, a.handle);
        await lock(tx, dialect, ADDRESS_LOCK, a.address);
        const byHandle = await tx
          .selectFrom('sign_in_attempts')
          .select((eb) => [eb.fn.countAll().as('n'), eb.fn.max('started_at').as('last')])
          .where('handle', '=', a.handle)
          .where('started_at', '>', since.handle)
          .where('outcome', 'in', ['pending', 'failed'])
          .executeTakeFirst();
        const ceiling = await tx
          .selectFrom('sign_in_attempts')
          .select('started_at')
          .where('address', '=', a.address)
          .where('started_at', '>', since.address)
          .where('outcome', 'in', COUNTED)
          .orderBy('started_at', 'desc')
          .limit(1)
          .offset(MAX_FAILURES_PER_ADDRESS - 1)
          .executeTakeFirst();
        const until = admit({
          handleFailures: Number(byHandle?.n ?? 0),
          lastHandleFailure: byHandle?.last ? new Date(String(byHandle.last)) : null,
          addressCeilingFailure: ceiling ? new Date(ceiling.started_at) : null,
        });
        if (until > a.now) return { admitted: false, until };
        const at = a.now.toISOString();
        await tx
          .insertInto('sign_in_attempts')
          .values({
            id: a.id,
            handle: a.handle,
            address: a.address,
            started_at: at,
            settled_at: null,
            outcome: 'pending',
          })
          .execute();
        // Old rows of this handle will never count again.
        await tx
          .deleteFrom('sign_in_attempts')
          .where('handle', '=', a.handle)
          .where('started_at', '<=', since.handle)
          .execute();
        return { admitted: true };
      });
    },
    async settleFailure(id: string, now: string): Promise<void> {
      await db
        .updateTable('sign_in_attempts')
        .set({ outcome: 'failed', settled_at: now })
        .where('id', '=', id)
        .execute();
    },
    /**
     * The attempt succeeded. Failures already settled when it started are forgiven (the owner
     * got in after them); attempts still unsettled then, or started since, keep counting.
     */
    async settleSuccess(id: string, handle: string, now: string): Promise<void> {
      await db.transaction().execute(async (tx) => {
        const mine = await tx
          .updateTable('sign_in_attempts')
          .set({ outcome: 'succeeded', settled_at: now })
          .where('id', '=', id)
          .returning('started_at')
          .executeTakeFirst();
        if (!mine) return;
        await tx
          .updateTable('sign_in_attempts')
          .set({ outcome: 'forgiven' })
          .where('handle', '=', handle)
          .where('outcome', '=', 'failed')
          .where('settled_at', '<', mine.started_at)
          .execute();
      });
    },
    /** The attempt never ran (the hashing pool was full): it must not count. */
    async withdraw(id: string): Promise<void> {
      await db.deleteFrom('sign_in_attempts').where('id', '=', id).execute();
    },

    /** Like beginSignIn for sign-ups from one address: at most `limit` since `since`. */
    async beginSignUp(
      a: { id: string; address: string; now: Date },
      since: string,
      limit: number,
    ): Promise<{ admitted: true } | { admitted: false; oldestCounted: Date }> {
      return db.transaction().execute(async (tx) => {
        await lock(tx, dialect, SIGN_UP_LOCK, a.address);
        const ceiling = await tx
          .selectFrom('sign_up_attempts')
          .select('at')
          .where('address', '=', a.address)
          .where('at', '>', since)
          .orderBy('at', 'desc')
          .limit(1)
          .offset(limit - 1)
          .executeTakeFirst();
        if (ceiling) return { admitted: false, oldestCounted: new Date(ceiling.at) };
        await tx
          .insertInto('sign_up_attempts')
          .values({ id: a.id, address: a.address, at: a.now.toISOString() })
          .execute();
        await tx
          .deleteFrom('sign_up_attempts')
          .where('address', '=', a.address)
          .where('at', '<=', since)
          .execute();
        return { admitted: true };
      });
    },
    async withdrawSignUp(id: string): Promise<void> {
      await db.deleteFrom('sign_up_attempts').where('id', '=', id).execute();
    },
  };
}
export type ThrottleRepository = ReturnType<typeof throttleRepository>;
