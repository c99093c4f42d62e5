import type { Executor } from '../db/transaction.ts';

export type AccountName = { handle: string; displayName: string };

// Far under every driver's limit on bound parameters; a commune has at most 150 members.
const IDS_PER_QUERY = 500;

/**
 * Identity's port for other contexts (ADR 0013): people's names by account id, and the
 * handle namespace people and communes share. It takes the caller's executor, so a read or
 * a claim joins the caller's transaction. Other contexts use it instead of joining
 * `accounts` or `handles` themselves.
 */
export function handlesRepository(db: Executor) {
  /** Handles and display names of the given accounts, in one query; unknown ids are absent. */
  async function namesById(ids: readonly string[]): Promise<Map<string, AccountName>> {
    const names = new Map<string, AccountName>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
      const rows = await db
        .selectFrom('accounts')
        .select(['id', 'handle', 'display_name'])
        .where('id', 'in', unique.slice(i, i + IDS_PER_QUERY))
        .execute();
      for (const r of rows) names.set(r.id, { handle: r.handle, displayName: r.display_name });
    }
    return names;
  }

  return {
    namesById,

    async handleOf(id: string): Promise<string | undefined> {
      return (await namesById([id])).get(id)?.handle;
    },

    /** Whether a person or a commune holds the handle. */
    async taken(handle: string): Promise<boolean> {
      const r = await db
        .selectFrom('handles')
        .select('handle')
        .where('handle', '=', handle)
        .executeTakeFirst();
      return r !== undefined;
    },

    /** Which of these handles (lowercase) belong to people: for linking mentions. */
    async peopleAmong(handles: readonly string[]): Promise<Set<string>> {
      if (handles.length === 0) return new Set();
      const rows = await db
        .selectFrom('accounts')
        .select('handle')
        .where('handle', 'in', [...new Set(handles)].slice(0, IDS_PER_QUERY))
        .execute();
      return new Set(rows.map((r) => r.handle));
    },

    /** Claims a handle; the primary key refuses a second claim (a unique violation). */
    async claim(handle: string, kind: 'person' | 'commune'): Promise<void> {
      await db.insertInto('handles').values({ handle, kind }).execute();
    },
  };
}
