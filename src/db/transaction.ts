import type { Kysely } from 'kysely';
import type { Deps } from '../deps.ts';
import { err, type AppError, type Result } from '../shared/result.ts';
import type { Database } from './schema.ts';

/** A transaction or the database itself. */
export type Executor = Kysely<Database>;

class Rollback {
  readonly error: unknown;
  constructor(error: unknown) {
    this.error = error;
  }
}

/**
 * Runs work in the caller's transaction, or in a new one that an error Result rolls back.
 * Inside a caller's transaction an error Result is returned and the caller must roll back.
 */
export async function transact<T, E = AppError>(
  deps: Deps,
  tx: Executor | undefined,
  work: (tx: Executor) => Promise<Result<T, E>>,
): Promise<Result<T, E>> {
  if (tx) return work(tx);
  try {
    return await deps.db.transaction().execute(async (t) => {
      const r = await work(t);
      if (!r.ok) throw new Rollback(r.error);
      return r;
    });
  } catch (e) {
    if (e instanceof Rollback) return err(e.error as E);
    throw e;
  }
}
