import type { Compilable, CompiledQuery } from 'kysely';
import type { Dialect } from './database.ts';
import type { Executor } from './transaction.ts';

/**
 * A read of fixed shape compiled once per dialect (ADR 0013): `build` writes the query with
 * placeholder values, and each run binds its own values, in the order the placeholders appear.
 * The SQL text is the same for every schema (PostgreSQL's schema comes from search_path).
 */
export function prepared<Row, Params extends readonly unknown[]>(
  build: (db: Executor) => Compilable<Row>,
) {
  const compiled = new Map<Dialect, CompiledQuery<Row>>();
  return async (db: Executor, dialect: Dialect, ...parameters: Params): Promise<Row[]> => {
    let query = compiled.get(dialect);
    if (!query) {
      query = build(db).compile();
      if (query.parameters.length !== parameters.length)
        throw new Error(
          `prepared: ${query.parameters.length} placeholders, ${parameters.length} values`,
        );
      compiled.set(dialect, query);
    }
    const run: CompiledQuery<Row> = { ...query, parameters };
    return (await db.executeQuery(run)).rows;
  };
}
