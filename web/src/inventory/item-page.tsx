import { useState } from 'react';
import { seg } from '../api/client.ts';
import { inventoryApi, inventoryPaths, isTombstone, type Item } from '../api/inventory.ts';
import type { Ledger } from '../api/ledger.ts';
import { communePath } from '../communes/labels.ts';
import { formatMoney } from '../ledger/money.ts';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { ErrorNotice, Loading, Notice, PageHeading, When } from '../ui/page.tsx';
import { Person, handleOf } from '../ui/person.tsx';
import { useApi } from '../ui/use-api.ts';
import {
  ConversationButton,
  ConversationsList,
  MatchesList,
  ThanksCountNote,
} from './conversations.tsx';
import { FilesSection } from './files.tsx';
import { ForksSection } from './forks.tsx';
import { Attribution, ItemTags, KindBadge, ServerHtml } from './item-parts.tsx';
import {
  ITEM_VISIBILITY_LABELS,
  communeItemsPath,
  editItemPath,
  itemPath,
  needsEstimate,
} from './labels.ts';
import { ThanksForm } from './thanks.tsx';
import { VersionsSection } from './versions.tsx';

/** An estimate in the commune's currency when the viewer may see it, else the bare number. */
function Estimate({ item }: { item: Item }) {
  const ledger = useApi<Ledger>(`/communes/${seg(item.commune)}/ledger`);
  if (item.estimate === null || item.estimate === undefined) return null;
  const amount = Number(item.estimate);
  const currency = ledger.data?.currency;
  return (
    <span>Estimate: {currency ? formatMoney(amount, currency) : `${amount} (smallest unit)`}</span>
  );
}

function DeleteControl({ item, onDeleted }: { item: Item; onDeleted: () => void }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function remove() {
    setBusy(true);
    const r = await inventoryApi.remove(item.id);
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setAsking(false);
    onDeleted();
  }
  if (!asking)
    return (
      <button type="button" className="danger small" onClick={() => setAsking(true)}>
        Delete
      </button>
    );
  return (
    <div className="confirm" role="group" aria-label="Confirm deletion">
      <p className="small">
        Delete this item? Its text and files go; its title and who wrote it stay, so forks keep
        their attribution.
      </p>
      <div className="actions">
        <button type="button" className="danger" disabled={busy} onClick={() => void remove()}>
          {busy ? 'Deleting…' : 'Yes, delete'}
        </button>
        <button type="button" className="secondary" onClick={() => setAsking(false)}>
          Keep it
        </button>
      </div>
      {error ? (
        <p role="alert" className="form-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function ItemHeader({ item }: { item: Item }) {
  return (
    <header className="page-header">
      <p className="breadcrumb small">
        <Link to={communePath(item.commune)}>@{item.commune}</Link> ›{' '}
        <Link to={communeItemsPath(item.commune)}>Inventory</Link> ›{' '}
        <Link to={communeItemsPath(item.commune, { kind: item.kind })}>
          <KindBadge kind={item.kind} />
        </Link>
      </p>
      <PageHeading title={item.title}>{item.title}</PageHeading>
      <p className="meta">
        <span>
          By <Person person={item.author} />
        </span>
        <span>
          Updated <When iso={item.updatedAt} />
        </span>
        <span>Version {item.version}</span>
        <span>
          License <code>{item.license}</code>
        </span>
        <span>Visible to: {ITEM_VISIBILITY_LABELS[item.visibility] ?? item.visibility}</span>
        {needsEstimate(item.kind) ? <Estimate item={item} /> : null}
      </p>
      {item.forkedFrom ? <Attribution from={item.forkedFrom} /> : null}
    </header>
  );
}

export function ItemPage({ id }: { id: string }) {
  const { me } = useSession();
  const loaded = useApi<Item>(inventoryPaths.item(id));
  const item = loaded.data;
  if (loaded.loading && !item) return <Loading what="the item" />;
  if (loaded.error || !item)
    return (
      <section className="narrow">
        <PageHeading title="Item">Item</PageHeading>
        {loaded.error ? <ErrorNotice error={loaded.error} what="this item" /> : null}
      </section>
    );

  const gone = isTombstone(item);
  const membership = me?.communes.find((c) => c.handle === item.commune);
  const isAuthor = me !== null && handleOf(item.author) === me.handle;
  const mayEdit = !gone && (item.canEdit ?? (isAuthor || membership?.role === 'steward'));

  return (
    <article className="item-page">
      <ItemHeader item={item} />
      {gone ? (
        <Notice tone="warning">
          This item was deleted
          {item.deletedAt ? (
            <>
              {' '}
              on <When iso={item.deletedAt} />
            </>
          ) : null}
          . Its title and who wrote it stay, so copies keep their attribution.
        </Notice>
      ) : null}
      {mayEdit ? (
        <div className="actions item-actions">
          <Link to={editItemPath(item.id)} className="button small">
            Edit
          </Link>
          <DeleteControl item={item} onDeleted={loaded.reload} />
        </div>
      ) : null}
      <div className="item-layout">
        <div className="item-main">
          {!gone ? (
            <section className="panel" aria-label="Text">
              {item.kind === 'link' && item.url ? (
                <p>
                  <a href={item.url} rel="nofollow ugc noopener" className="item-url">
                    {item.url}
                  </a>
                </p>
              ) : null}
              {item.html.trim() ? (
                <ServerHtml html={item.html} className="item-body" />
              ) : (
                <p className="muted">No text.</p>
              )}
              <ItemTags tags={item.tags} commune={item.commune} />
              {!isAuthor ? <ConversationButton item={item} /> : null}
              <ConversationsList item={item} />
              {item.kind === 'need' ? <MatchesList need={item} /> : null}
            </section>
          ) : null}
          {!gone && item.kind === 'resource' ? (
            <FilesSection id={item.id} canUpload={mayEdit} />
          ) : null}
          <VersionsSection key={item.version} id={item.id} latest={item.version} />
        </div>
        <aside className="item-side" aria-label="Thanks and forks">
          {isAuthor ? <ThanksCountNote item={item} /> : null}
          {me && !isAuthor && !gone ? <ThanksForm item={item} /> : null}
          <ForksSection item={item} canFork={me !== null && !gone} />
        </aside>
      </div>
      <p className="small">
        <Link to={communeItemsPath(item.commune)}>Back to the inventory</Link>
        {item.forkedFrom ? (
          <>
            {' · '}
            <Link to={itemPath(item.forkedFrom.item)}>The original</Link>
          </>
        ) : null}
      </p>
    </article>
  );
}
