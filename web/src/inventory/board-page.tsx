import { inventoryPaths, type Item, type ItemKind } from '../api/inventory.ts';
import { communePath } from '../communes/labels.ts';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { ErrorNotice, Loading, PageHeading } from '../ui/page.tsx';
import { usePagedList } from '../ui/use-api.ts';
import { ConversationButton, MatchesList } from './conversations.tsx';
import { ItemRow } from './item-parts.tsx';
import { communeItemsPath, newItemPath } from './labels.ts';

function Column({
  handle,
  kind,
  title,
  empty,
  canPost,
}: {
  handle: string;
  kind: Extract<ItemKind, 'offer' | 'need'>;
  title: string;
  empty: string;
  canPost: boolean;
}) {
  const list = usePagedList<Item>(inventoryPaths.list(handle, { kind }));
  const id = `board-${kind}`;
  return (
    <section aria-labelledby={id} className="panel board-column">
      <div className="section-head">
        <h2 id={id}>{title}</h2>
        {canPost ? (
          <Link className="button small" to={newItemPath(handle, kind)}>
            {kind === 'need' ? 'Ask for something' : 'Offer something'}
          </Link>
        ) : null}
      </div>
      {list.loading ? <Loading what={title.toLowerCase()} /> : null}
      {list.error ? <ErrorNotice error={list.error} what={title.toLowerCase()} /> : null}
      {list.data && list.data.length === 0 ? <p className="muted">{empty}</p> : null}
      {list.data && list.data.length > 0 ? (
        <ul className="item-list">
          {list.data.map((item) => (
            <li key={item.id}>
              <ItemRow item={item} />
              <ConversationButton item={item} />
              {kind === 'need' ? <MatchesList need={item} limit={3} /> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {list.more ? (
        <button type="button" className="secondary" onClick={list.more} disabled={list.loadingMore}>
          {list.loadingMore ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
    </section>
  );
}

/** What members ask for and what they offer, side by side; a need shows what may meet it. */
export function BoardPage({ handle }: { handle: string }) {
  const { me } = useSession();
  const canPost = Boolean(me?.communes.some((c) => c.handle === handle));
  return (
    <section className="board-page">
      <p className="breadcrumb small">
        <Link to={communePath(handle)}>@{handle}</Link> ›{' '}
        <Link to={communeItemsPath(handle)}>Inventory</Link>
      </p>
      <PageHeading title={`Offers and needs in @${handle}`}>Offers and needs</PageHeading>
      <div className="board">
        <Column
          handle={handle}
          kind="need"
          title="Needs"
          empty="No one has asked for anything yet."
          canPost={canPost}
        />
        <Column
          handle={handle}
          kind="offer"
          title="Offers"
          empty="No offers yet."
          canPost={canPost}
        />
      </div>
    </section>
  );
}
