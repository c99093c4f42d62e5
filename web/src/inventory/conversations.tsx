import { useState } from 'react';
import {
  inventoryApi,
  inventoryPaths,
  isTombstone,
  type ConversationList,
  type Item,
  type MatchList,
  type ThanksCount,
} from '../api/inventory.ts';
import { threadPath } from '../discussions/thread-list.tsx';
import { Link, navigate } from '../router.tsx';
import { useSession } from '../session.tsx';
import { Loading, When } from '../ui/page.tsx';
import { Person, handleOf } from '../ui/person.tsx';
import { useApi } from '../ui/use-api.ts';
import { useDeclares } from './capabilities.ts';
import { ItemRow } from './item-parts.tsx';

const CONVERSATIONS = '/api/v1/items/{id}/conversations';
const MATCHES = '/api/v1/items/{id}/matches';
const THANKS = '/api/v1/items/{id}/thanks';

const isExchange = (item: Item) => item.kind === 'need' || item.kind === 'offer';

/** "I can help" on a need, "I'd like this" on an offer: opens a thread between the two people. */
export function ConversationButton({ item }: { item: Item }) {
  const { me } = useSession();
  const available = useDeclares('post', CONVERSATIONS);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!available || !me || handleOf(item.author) === me.handle) return null;
  if (!isExchange(item) || isTombstone(item)) return null;

  const label = item.kind === 'need' ? 'I can help' : 'I’d like this';

  async function open() {
    setBusy(true);
    const r = await inventoryApi.converse(item.id);
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    navigate(threadPath(r.value.thread.id));
  }

  return (
    <span className="conversation">
      <button
        type="button"
        className="small"
        disabled={busy}
        onClick={() => void open()}
        aria-label={`${label}: ${item.title}`}
      >
        {label}
      </button>
      {error ? (
        <span role="alert" className="form-error">
          {' '}
          {error}
        </span>
      ) : null}
    </span>
  );
}

/** The conversations opened from this offer or need: all of them for its author, else one's own. */
export function ConversationsList({ item }: { item: Item }) {
  const { me } = useSession();
  const available = useDeclares('get', CONVERSATIONS);
  const loaded = useApi<ConversationList>(
    available && me && isExchange(item) ? inventoryPaths.conversations(item.id) : null,
  );
  const list = loaded.data?.items ?? [];
  if (list.length === 0) return null;
  return (
    <div className="conversations">
      <h3 className="small-heading">Conversations about this</h3>
      <ul>
        {list.map((c) => (
          <li key={c.thread.id}>
            <Link to={threadPath(c.thread.id)}>{c.thread.title}</Link>{' '}
            <span className="muted small">
              with <Person person={c.person} />, <When iso={c.createdAt} />
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** For a need: offers and skills that may meet it, best first; nothing if the server has none. */
export function MatchesList({ need, limit = 5 }: { need: Item; limit?: number }) {
  const available = useDeclares('get', MATCHES);
  const loaded = useApi<MatchList>(
    available && !isTombstone(need) ? inventoryPaths.matches(need.id) : null,
  );
  if (!available || isTombstone(need)) return null;
  if (loaded.loading) return <Loading what="matches" />;
  if (loaded.error || !loaded.data) return null;
  const list = loaded.data.items.slice(0, limit);
  return (
    <div className="matches">
      <h3 className="small-heading">Might meet this need</h3>
      {list.length === 0 ? (
        <p className="muted small">No matching offers or skills yet.</p>
      ) : (
        <ul className="item-list">
          {list.map((m) => (
            <li key={m.item.id}>
              <ItemRow item={m.item} />
              {m.sharedTags.length > 0 ? (
                <p className="muted small">Shares {m.sharedTags.map((t) => `#${t}`).join(', ')}</p>
              ) : null}
              <ConversationButton item={m.item} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** How many thanked the item: its author sees it, nobody else (no popularity signals). */
export function ThanksCountNote({ item }: { item: Item }) {
  const available = useDeclares('get', THANKS);
  const loaded = useApi<ThanksCount>(available ? inventoryPaths.thanks(item.id) : null);
  const count = loaded.data;
  if (!count) return null;
  return (
    <p className="panel quiet small" role="status">
      {count.people === 0
        ? 'No one has thanked you for this yet.'
        : `${count.people} ${count.people === 1 ? 'person has' : 'people have'} thanked you for this (${count.times} ${count.times === 1 ? 'time' : 'times'}). Only you see this.`}
    </p>
  );
}
