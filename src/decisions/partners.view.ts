// A read view: the partner commune an alliance decision names, read from communes' table.
import type { Executor } from '../db/transaction.ts';

/** A commune's handle by id (a mirrored alliance proposal names the asker). */
export async function handleOfCommune(
  db: Executor,
  communeId: string,
): Promise<string | undefined> {
  const r = await db
    .selectFrom('communes')
    .select('handle')
    .where('id', '=', communeId)
    .executeTakeFirst();
  return r?.handle;
}
