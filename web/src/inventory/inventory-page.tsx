import { useState, type FormEvent } from 'react';
import { ITEM_KINDS, inventoryPaths, type Item, type ItemKind } from '../api/inventory.ts';
import type { Commune } from '../api/types.ts';
import { seg } from '../api/client.ts';
import { roleIn } from '../communes/commune-page.tsx';
import { communePath } from '../communes/labels.ts';
import { Link, navigate, useLocation } from '../router.tsx';
import { useSession } from '../session.tsx';
import { TextField } from '../ui/fields.tsx';
import { ErrorNotice, Loading, PageHeading } from '../ui/page.tsx';
import { useApi, usePagedList } from '../ui/use-api.ts';
import { ItemRow } from './item-parts.tsx';
import { KIND_LABELS, boardPath, communeItemsPath, newItemPath } from './labels.ts';

const isKind = (k: string | null): k is ItemKind =>
  k !== null && (ITEM_KINDS as readonly string[]).includes(k);

/** The kinds as a row of links: each is a filter a person can bookmark or share. */
function KindFilter({ handle, kind, tag }: { handle: string; kind: ItemKind | null; tag: string }) {
  const all = [
    { value: null, label: 'Everything' },
    ...ITEM_KINDS.map((k) => ({ value: k, label: `${KIND_LABELS[k]}s` })),
  ];
  return (
    <nav aria-label="Kinds" className="kind-filter">
      <ul>
        {all.map((k) => (
          <li key={k.value ?? 'all'}>
            <Link
              to={communeItemsPath(handle, { kind: k.value, tag: tag || null })}
              aria-current={kind === k.value ? 'page' : undefined}
            >
              {k.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function TagFilter({ handle, kind, tag }: { handle: string; kind: ItemKind | null; tag: string }) {
  const [draft, setDraft] = useState(tag);
  function submit(e: FormEvent) {
    e.preventDefault();
    const t = draft.trim().replace(/^#/, '').toLowerCase();
    navigate(communeItemsPath(handle, { kind, tag: t || null }));
  }
  return (
    <form className="tag-filter" role="search" aria-label="Items by tag" onSubmit={submit}>
      <TextField
        label="Tag"
        name="tag"
        value={draft}
        autoCapitalize="none"
        onChange={(e) => setDraft(e.target.value)}
      />
      <div className="actions">
        <button type="submit" className="secondary">
          Filter
        </button>
        {tag ? (
          <Link to={communeItemsPath(handle, { kind })} className="button secondary">
            Any tag
          </Link>
        ) : null}
      </div>
    </form>
  );
}

/** A commune's knowledge inventory, newest first, by kind and tag, a page at a time. */
export function InventoryPage({ handle }: { handle: string }) {
  const session = useSession();
  const { params } = useLocation();
  const rawKind = params.get('kind');
  const kind = isKind(rawKind) ? rawKind : null;
  const tag = params.get('tag') ?? '';
  const commune = useApi<Commune>(`/communes/${seg(handle)}`);
  const list = usePagedList<Item>(
    inventoryPaths.list(handle, { kind: kind ?? undefined, tag: tag || undefined }),
  );
  const role = commune.data ? roleIn(commune.data, session.me?.communes) : null;
  const name = commune.data?.name ?? `@${handle}`;

  return (
    <section className="inventory-page">
      <p className="breadcrumb small">
        <Link to={communePath(handle)}>{name}</Link>
      </p>
      <div className="section-head">
        <PageHeading title={`Inventory of ${name}`}>Knowledge inventory</PageHeading>
        {role ? (
          <Link className="button small" to={newItemPath(handle, kind ?? undefined)}>
            Add to the inventory
          </Link>
        ) : null}
      </div>
      <p className="muted">
        What the members know, make and offer, kept together.{' '}
        <Link to={boardPath(handle)}>Offers and needs</Link>
      </p>
      <KindFilter handle={handle} kind={kind} tag={tag} />
      {/* Keyed by the URL so the field follows back and forward. */}
      <TagFilter key={`${kind}|${tag}`} handle={handle} kind={kind} tag={tag} />
      <section aria-labelledby="items" aria-busy={list.loading} className="panel">
        <h2 id="items">
          {kind ? `${KIND_LABELS[kind]}s` : 'Everything'}
          {tag ? ` tagged #${tag}` : ''}
        </h2>
        {list.loading ? <Loading what="the inventory" /> : null}
        {list.error ? <ErrorNotice error={list.error} what="this inventory" /> : null}
        {list.data && list.data.length === 0 ? <p className="muted">Nothing here yet.</p> : null}
        {list.data && list.data.length > 0 ? (
          <ul className="item-list">
            {list.data.map((item) => (
              <li key={item.id}>
                <ItemRow item={item} />
              </li>
            ))}
          </ul>
        ) : null}
        {list.more ? (
          <button
            type="button"
            className="secondary"
            onClick={list.more}
            disabled={list.loadingMore}
          >
            {list.loadingMore ? 'Loading…' : 'Load more'}
          </button>
        ) : null}
      </section>
    </section>
  );
}
