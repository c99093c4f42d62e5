import { useEffect, useState, type FormEvent } from 'react';
import type { ApiError } from '../api/client.ts';
import { query } from '../api/client.ts';
import { MAP_NODE_CAP, loadNetwork, type NetworkEdge, type NetworkNode } from '../api/network.ts';
import { CATEGORIES } from '../api/types.ts';
import { categoryLabel, communePath } from '../communes/labels.ts';
import { Link, navigate, useLocation } from '../router.tsx';
import { SelectField, TextField } from '../ui/fields.tsx';
import { ErrorNotice, Loading, PageHeading } from '../ui/page.tsx';
import { NetworkGraph } from './network-graph.tsx';
import './network.css';

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

type Loaded = { nodes: NetworkNode[]; edges: NetworkEdge[]; complete: boolean };

function FilterForm({ tag, category }: { tag: string; category: string }) {
  const [draft, setDraft] = useState({ tag, category });
  function submit(e: FormEvent) {
    e.preventDefault();
    navigate(`/network${query({ tag: draft.tag.trim().toLowerCase(), category: draft.category })}`);
  }
  return (
    <form aria-label="Filter the map" className="search-form" onSubmit={submit}>
      <TextField
        label="Tag"
        name="tag"
        value={draft.tag}
        maxLength={40}
        autoCapitalize="none"
        onChange={(e) => setDraft({ ...draft, tag: e.target.value })}
      />
      <SelectField
        label="Category"
        name="category"
        value={draft.category}
        onChange={(e) => setDraft({ ...draft, category: e.target.value })}
        options={[
          { value: '', label: 'Any category' },
          ...CATEGORIES.map((c) => ({ value: c, label: categoryLabel(c) })),
        ]}
      />
      <div className="actions">
        <button type="submit">Filter</button>
      </div>
    </form>
  );
}

/** The same graph as a list: for keyboards, screen readers and very small screens. */
function NetworkList({ nodes, edges }: Loaded) {
  const allies = new Map<string, string[]>();
  for (const e of edges) {
    allies.set(e.a, [...(allies.get(e.a) ?? []), e.b]);
    allies.set(e.b, [...(allies.get(e.b) ?? []), e.a]);
  }
  return (
    <ul className="network-list">
      {nodes.map((n) => (
        <li key={n.handle}>
          <Link to={communePath(n.handle)}>{n.name}</Link>{' '}
          <span className="muted small">
            @{n.handle} · {categoryLabel(n.category)}
          </span>
          {allies.get(n.handle)?.length ? (
            <div className="allies">
              Allied with{' '}
              {allies
                .get(n.handle)
                ?.map((h) => `@${h}`)
                .join(', ')}
            </div>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** Communes and their alliances, drawn as a graph; filters by tag and category. */
export function NetworkPage() {
  const { params } = useLocation();
  const tag = params.get('tag') ?? '';
  const category = params.get('category') ?? '';
  // Kept with the filters it was loaded for, so a stale graph never shows under new filters.
  const key = `${tag}|${category}`;
  const [answer, setAnswer] = useState<{
    key: string;
    loaded: Loaded | null;
    error: ApiError | null;
  } | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    void loadNetwork({ tag, category }, { signal: abort.signal }).then((r) => {
      if (abort.signal.aborted) return;
      setAnswer(
        r.ok
          ? { key: `${tag}|${category}`, loaded: r.value, error: null }
          : { key: `${tag}|${category}`, loaded: null, error: r.error },
      );
    });
    return () => abort.abort();
  }, [tag, category]);

  const loaded = answer?.key === key ? answer.loaded : null;
  const error = answer?.key === key ? answer.error : null;
  const filtered = Boolean(tag || category);
  return (
    <>
      <PageHeading title="Network">The network of communes</PageHeading>
      <p className="lede">
        Communes and the alliances between them. A line is an alliance both communes decided on; no
        commune is drawn bigger than another.
      </p>
      <section aria-labelledby="map-filter" className="panel">
        <h2 id="map-filter">Filter</h2>
        <FilterForm key={`${tag}|${category}`} tag={tag} category={category} />
        {filtered ? (
          <p>
            <Link to="/network">Show every commune</Link>
          </p>
        ) : null}
      </section>
      <section aria-labelledby="map" aria-busy={!loaded && !error}>
        <h2 id="map">{filtered ? 'Matching communes' : 'All communes you can see'}</h2>
        {error ? <ErrorNotice error={error} what="the network" /> : null}
        {!loaded && !error ? <Loading what="the network" /> : null}
        {loaded ? (
          <>
            {loaded.complete ? null : (
              <p className="notice">
                The map shows the first {MAP_NODE_CAP} communes by handle. Filter by tag or category
                to see the others.
              </p>
            )}
            {loaded.nodes.length === 0 ? (
              <p className="muted">No communes found.</p>
            ) : (
              <>
                <p className="muted">
                  {count(loaded.nodes.length, 'commune')}, {count(loaded.edges.length, 'alliance')}.
                  Tap a commune to open it.
                </p>
                <NetworkGraph
                  nodes={loaded.nodes}
                  edges={loaded.edges}
                  onOpen={(handle) => navigate(communePath(handle))}
                />
                <h3>The same, as a list</h3>
                <NetworkList {...loaded} />
              </>
            )}
          </>
        ) : null}
      </section>
    </>
  );
}
