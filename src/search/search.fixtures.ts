// Test support for the search suites: items written through the inventory's own repository
// (what the items service does, minus its rules: the permission suite needs an item the API
// refuses, a public item in a private commune), and a walk over every page of a search.
import type { TestApp } from '../../test/support/app.ts';
import { communesRepository } from '../communes/communes.repository.ts';
import type { ItemKind, ItemVisibility } from '../db/schema.inventory.ts';
import { identityRepository } from '../identity/identity.repository.ts';
import { itemsRepository } from '../inventory/items.repository.ts';
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

/** Writes an item as the inventory would (version 1 too); returns its id. */
export async function seedItem(t: TestApp, s: ItemSeed): Promise<string> {
  const commune = await communesRepository(t.deps.db, t.deps.dialect).findByHandle(s.commune);
  const author = await identityRepository(t.deps.db).findByHandle(s.author);
  if (!commune || !author) throw new Error(`no commune ${s.commune} or person ${s.author}`);
  const id = newId();
  await itemsRepository(t.deps.db).insert({
    id,
    communeId: commune.id,
    authorId: author.id,
    content: {
      kind: s.kind ?? 'guide',
      title: s.title,
      body: s.body,
      tags: s.tags ?? [],
      visibility: s.visibility ?? 'public',
      license: 'CC-BY-SA-4.0',
      url: null,
      estimate: null,
    },
    html: '',
    forkedFrom: null,
    at: new Date().toISOString(),
  });
  return id;
}

/** Leaves a tombstone, as deleting an item does. */
export async function tombstone(t: TestApp, id: string): Promise<void> {
  await itemsRepository(t.deps.db).tombstone(id, new Date().toISOString());
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
