// Test support: inventory items written straight into their table until the items API lands
// (the search triggers index them either way). Also small helpers for the search suites.
import type { TestApp } from '../../test/support/app.ts';
import type { ItemKind, ItemVisibility } from '../db/schema.inventory.ts';
import { newId } from '../shared/ids.ts';

export type ItemSeed = {
  commune: string;
  author: string;
  title: string;
  body: string;
  kind?: ItemKind;
  visibility?: ItemVisibility;
  tags?: string[];
};

const idOf = async (t: TestApp, table: 'communes' | 'accounts', handle: string) => {
  const row = await t.deps.db
    .selectFrom(table)
    .select('id')
    .where('handle', '=', handle)
    .executeTakeFirstOrThrow();
  return row.id;
};

/** Writes an item as the inventory would; returns its id. */
export async function seedItem(t: TestApp, s: ItemSeed): Promise<string> {
  const id = newId();
  const now = new Date().toISOString();
  await t.deps.db
    .insertInto('items')
    .values({
      id,
      commune_id: await idOf(t, 'communes', s.commune),
      author_id: await idOf(t, 'accounts', s.author),
      kind: s.kind ?? 'guide',
      title: s.title,
      body: s.body,
      html: '',
      tags: JSON.stringify(s.tags ?? []),
      visibility: s.visibility ?? 'public',
      license: 'CC-BY-SA-4.0',
      url: null,
      estimate: null,
      version: 1,
      forked_from_item: null,
      forked_from_version: null,
      forked_from_commune: null,
      forked_from_author: null,
      deleted_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

/** Leaves a tombstone, as deleting an item does. */
export async function tombstone(t: TestApp, id: string): Promise<void> {
  await t.deps.db
    .updateTable('items')
    .set({ deleted_at: new Date().toISOString(), body: '' })
    .where('id', '=', id)
    .execute();
}

export type Hit = { type: string; id: string; title: string; snippet: string; commune: string };
export type SearchPage = {
  items: Hit[];
  next: string | null;
  facets: Record<string, { value: string; count: number }[]> | null;
};

/** Every page of a search, following `next`; fails on anything but 200. */
export async function searchAll(
  t: TestApp,
  params: Record<string, string>,
  token?: string,
): Promise<{ pages: SearchPage[]; hits: Hit[] }> {
  const pages: SearchPage[] = [];
  let before: string | null = null;
  for (;;) {
    const qs = new URLSearchParams({ ...params, ...(before ? { before } : {}) });
    const r = await t.get(`/api/v1/search?${qs}`, token);
    if (r.status !== 200) throw new Error(`search ${qs}: ${r.status} ${JSON.stringify(r.body)}`);
    const page = r.body as SearchPage;
    pages.push(page);
    before = page.next;
    if (before === null) break;
    if (pages.length > 1000) throw new Error('search never ends');
  }
  return { pages, hits: pages.flatMap((p) => p.items) };
}
