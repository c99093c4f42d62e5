import { useState } from 'react';
import { inventoryApi, inventoryPaths, type Item, type Match } from '../api/inventory.ts';
import { threadPath } from '../discussions/thread-list.tsx';
import { navigate } from '../router.tsx';
import { useSession } from '../session.tsx';
import { Loading } from '../ui/page.tsx';
import { handleOf } from '../ui/person.tsx';
import { useApi } from '../ui/use-api.ts';
import { useDeclares } from './capabilities.ts';
import { ItemRow } from './item-parts.tsx';

const CONVERSATIONS = '/api/v1/items/{id}/conversations';
const MATCHES = '/api/v1/items/{id}/matches';

/** "I can help" on a need, "I'd like this" on an offer: opens a thread between the two people. */
export function ConversationButton({ item }: { item: Item }) {
  const { me } = useSession();
  const available = useDeclares('post', CONVERSATIONS);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!available || !me || handleOf(item.author) === me.handle) return null;
  if (item.kind !== 'need' && item.kind !== 'offer') return null;

  async function open() {
    setBusy(true);
    const r = await inventoryApi.converse(item.id);
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    const thread = r.value.thread ?? r.value.threadId ?? r.value.id;
    if (thread) navigate(threadPath(thread));
  }

  return (
    <span className="conversation">
      <button type="button" className="small" disabled={busy} onClick={() => void open()}>
        {item.kind === 'need' ? 'I can help' : 'I’d like this'}
        <span className="visually-hidden">: {item.title}</span>
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

const matchedItem = (m: Match): Item => ('item' in m ? m.item : m);

/** For a need: offers and skills that may meet it, best first; nothing if the server has none. */
export function MatchesList({ need, limit = 5 }: { need: Item; limit?: number }) {
  const available = useDeclares('get', MATCHES);
  const loaded = useApi<{ items: Match[] } | Match[]>(
    available ? `${inventoryPaths.matches(need.id)}?limit=${limit}` : null,
  );
  if (!available) return null;
  if (loaded.loading) return <Loading what="matches" />;
  if (loaded.error) return null;
  const list = Array.isArray(loaded.data) ? loaded.data : (loaded.data?.items ?? []);
  return (
    <div className="matches">
      <h4 className="small-heading">Might meet this need</h4>
      {list.length === 0 ? (
        <p className="muted small">No matching offers or skills yet.</p>
      ) : (
        <ul className="item-list">
          {list.slice(0, limit).map((m) => {
            const item = matchedItem(m);
            return (
              <li key={item.id}>
                <ItemRow item={item} />
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
