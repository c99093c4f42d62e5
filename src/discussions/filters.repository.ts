import { sql, type CompiledQuery } from 'kysely';
import type { Db, Dialect } from '../db/database.ts';
import type { Filter, FilterKind } from './filters.ts';

type FilterRow = { id: string; kind: FilterKind; value: string; created_at: string };
const toFilter = (r: FilterRow): Filter => ({
  id: r.id,
  kind: r.kind,
  value: r.value,
  createdAt: r.created_at,
});

export function filtersRepository(db: Db, dialect: Dialect) {
  // Every signed-in read of a list or thread runs this, so it is compiled once; only the account changes.
  let listQuery: CompiledQuery<FilterRow> | undefined;
  const listOfQuery = (accountId: string): CompiledQuery<FilterRow> => {
    listQuery ??= db
      .selectFrom('filters')
      .select(['id', 'kind', 'value', 'created_at'])
      .where('account_id', '=', '')
      .orderBy('id', 'asc')
      .compile();
    return { ...listQuery, parameters: [accountId] };
  };

  return {
    /**
     * Serialises one person's filter writes until the transaction ends, so the per-person cap
     * holds under concurrent requests. SQLite transactions are already serial (BEGIN IMMEDIATE).
     */
    async lockOwner(accountId: string): Promise<void> {
      if (dialect === 'postgres')
        await sql`select pg_advisory_xact_lock(hashtext(${'filters:' + accountId}))`.execute(db);
    },

    async listOf(accountId: string): Promise<Filter[]> {
      const { rows } = await db.executeQuery(listOfQuery(accountId));
      return rows.map(toFilter);
    },

    async count(accountId: string): Promise<number> {
      const r = await db
        .selectFrom('filters')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },

    async exists(accountId: string, kind: FilterKind, value: string): Promise<boolean> {
      const r = await db
        .selectFrom('filters')
        .select('id')
        .where('account_id', '=', accountId)
        .where('kind', '=', kind)
        .where('value', '=', value)
        .executeTakeFirst();
      return r !== undefined;
    },

    async insert(f: Filter & { accountId: string }): Promise<void> {
      await db
        .insertInto('filters')
        .values({
          id: f.id,
          account_id: f.accountId,
          kind: f.kind,
          value: f.value,
          created_at: f.createdAt,
        })
        .execute();
    },

    /** True when the filter existed and belonged to this person. */
    async remove(accountId: string, id: string): Promise<boolean> {
      const r = await db
        .deleteFrom('filters')
        .where('id', '=', id)
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}
export type FiltersRepository = ReturnType<typeof filtersRepository>;
