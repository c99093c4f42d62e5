// Loads the search benchmark's corpus straight into a migrated database with multi-row
// inserts: people, communes (a mix of visibilities), memberships and items. The search
// triggers of migration 0012 index every item as it goes in, as they would in the app.
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type pg from 'pg';
import { newId } from '../../src/shared/ids.ts';
import { vocabulary, writer } from './corpus.ts';
import { progress } from './progress.ts';

export type Corpus = {
  items: number;
  communes: number;
  membersPerCommune: number;
  /** The searching member's commune (private) and account. */
  communeId: string;
  memberId: string;
  words: string[];
};

const KINDS = ['guide', 'skill', 'resource', 'offer', 'need', 'link'] as const;
const TAGS = Array.from({ length: 40 }, (_, i) => `tag${i}`);
const ITEM_COLUMNS = [
  'id',
  'commune_id',
  'author_id',
  'kind',
  'title',
  'body',
  'html',
  'tags',
  'visibility',
  'license',
  'url',
  'estimate',
  'version',
  'deleted_at',
  'created_at',
  'updated_at',
] as const;

/** Something that runs a statement with positional parameters: node:sqlite or pg. */
export type Sink = {
  dialect: 'sqlite' | 'postgres';
  run: (sql: string, params: unknown[]) => Promise<void>;
  begin: () => Promise<void>;
  commit: () => Promise<void>;
};

export const sqliteSink = (db: DatabaseSync): Sink => {
  const cache = new Map<string, ReturnType<DatabaseSync['prepare']>>();
  return {
    dialect: 'sqlite',
    run: async (sql, params) => {
      let stmt = cache.get(sql);
      if (!stmt) cache.set(sql, (stmt = db.prepare(sql)));
      stmt.run(...(params as SQLInputValue[]));
    },
    begin: async () => void db.exec('begin'),
    commit: async () => void db.exec('commit'),
  };
};

export const postgresSink = (client: pg.Client): Sink => ({
  dialect: 'postgres',
  run: async (sql, params) => void (await client.query(sql, params)),
  begin: async () => void (await client.query('begin')),
  commit: async () => void (await client.query('commit')),
});

function insertSql(sink: Sink, table: string, columns: readonly string[], rows: number): string {
  let n = 0;
  const p = () => (sink.dialect === 'sqlite' ? '?' : `$${++n}`);
  const tuples = Array.from({ length: rows }, () => `(${columns.map(p).join(', ')})`);
  return `insert into ${table} (${columns.join(', ')}) values ${tuples.join(', ')}`;
}

async function insertRows(
  sink: Sink,
  table: string,
  columns: readonly string[],
  rows: unknown[][],
  perStatement: number,
): Promise<void> {
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    await sink.run(insertSql(sink, table, columns, chunk.length), chunk.flat());
  }
}

/**
 * People, communes and memberships: commune 0 is private and holds the searching member;
 * the others are 30 % public, 20 % unlisted, 50 % private.
 */
export async function loadCommunes(
  sink: Sink,
  communes: number,
  membersPerCommune: number,
): Promise<{ communeIds: string[]; visibility: string[]; members: string[][] }> {
  const now = new Date().toISOString();
  const communeIds: string[] = [];
  const visibility: string[] = [];
  const members: string[][] = [];
  const accounts: unknown[][] = [];
  const handles: unknown[][] = [];
  const communeRows: unknown[][] = [];
  const memberships: unknown[][] = [];
  for (let c = 0; c < communes; c += 1) {
    const id = newId();
    const v = c === 0 ? 'private' : c % 10 < 3 ? 'public' : c % 10 < 5 ? 'unlisted' : 'private';
    const people: string[] = [];
    for (let p = 0; p < membersPerCommune; p += 1) {
      const accountId = newId();
      const handle = `p${c}_${p}`;
      people.push(accountId);
      handles.push([handle, 'person']);
      accounts.push([accountId, handle, handle, 'x', now]);
      memberships.push([id, accountId, p === 0 ? 'steward' : 'member', now]);
    }
    handles.push([`c${c}`, 'commune']);
    communeRows.push([
      id,
      `c${c}`,
      `Commune ${c}`,
      'A bench commune',
      'social',
      '[]',
      '[]',
      'open',
      v,
      150,
      membersPerCommune,
      people[0],
      now,
    ]);
    communeIds.push(id);
    visibility.push(v);
    members.push(people);
  }
  await sink.begin();
  await insertRows(sink, 'handles', ['handle', 'kind'], handles, 500);
  await insertRows(
    sink,
    'accounts',
    ['id', 'handle', 'display_name', 'password_hash', 'created_at'],
    accounts,
    500,
  );
  await insertRows(
    sink,
    'communes',
    [
      'id',
      'handle',
      'name',
      'vision',
      'category',
      'tags',
      'agreements',
      'join_policy',
      'visibility',
      'max_members',
      'member_count',
      'created_by',
      'created_at',
    ],
    communeRows,
    200,
  );
  await insertRows(
    sink,
    'memberships',
    ['commune_id', 'account_id', 'role', 'joined_at'],
    memberships,
    500,
  );
  await sink.commit();
  return { communeIds, visibility, members };
}

/** `count` items of Zipf text spread evenly over the communes, in transactions of `batch`. */
export async function loadItems(
  sink: Sink,
  count: number,
  place: { communeIds: string[]; visibility: string[]; members: string[][] },
  words: string[],
  batch = 10_000,
): Promise<void> {
  const text = writer(words, 42);
  const perStatement = sink.dialect === 'sqlite' ? 100 : 1000;
  const bar = progress('search: items', Math.ceil(count / batch));
  const start = Date.parse('2026-01-01T00:00:00Z');
  for (let done = 0; done < count; done += batch) {
    const rows: unknown[][] = [];
    for (let i = done; i < Math.min(count, done + batch); i += 1) {
      const c = Math.floor(text.random() * place.communeIds.length);
      const people = place.members[c]!;
      const roll = text.random();
      const visibility =
        place.visibility[c] === 'private'
          ? roll < 0.8
            ? 'commune'
            : 'allies'
          : roll < 0.5
            ? 'public'
            : roll < 0.85
              ? 'commune'
              : 'allies';
      const tags = [
        ...new Set(Array.from({ length: text.between(0, 3) }, () => TAGS[text.between(0, 39)])),
      ];
      const body = text.body();
      const at = new Date(start + i * 1000).toISOString();
      rows.push([
        newId(),
        place.communeIds[c],
        people[Math.floor(text.random() * people.length)],
        KINDS[text.between(0, KINDS.length - 1)],
        text.title(),
        body,
        `<p>${body}</p>`,
        JSON.stringify(tags),
        visibility,
        'CC-BY-SA-4.0',
        null,
        null,
        1,
        null,
        at,
        at,
      ]);
    }
    await sink.begin();
    await insertRows(sink, 'items', ITEM_COLUMNS, rows, perStatement);
    await sink.commit();
    bar.tick();
  }
  bar.stop();
}

export { vocabulary };
