import { useCallback, useState, type FormEvent } from 'react';
import { api, type ApiError } from '../api/client.ts';
import {
  searchPagePath,
  searchPath,
  type FacetName,
  type FacetValue,
  type SearchHit,
  type SearchAnswer,
  type SearchQuery,
} from '../api/search.ts';
import { communePath } from '../communes/labels.ts';
import { threadPath } from '../discussions/thread-list.tsx';
import { KIND_LABELS, itemPath } from '../inventory/labels.ts';
import { Link, navigate, useLocation } from '../router.tsx';
import { TextField } from '../ui/fields.tsx';
import { ErrorNotice, Loading, PageHeading, When } from '../ui/page.tsx';
import { HiddenNote } from '../ui/hidden-note.tsx';
import { useApi } from '../ui/use-api.ts';
import { Snippet } from './snippet.tsx';

const TYPE_LABELS: Record<string, string> = {
  item: 'Inventory',
  thread: 'Discussion',
  comment: 'Comment',
};

const FACET_TITLES: Record<FacetName, string> = {
  type: 'Type',
  kind: 'Kind',
  commune: 'Commune',
  tag: 'Tag',
};

function valueLabel(facet: FacetName, value: string): string {
  if (facet === 'type') return TYPE_LABELS[value] ?? value;
  if (facet === 'kind') return KIND_LABELS[value as keyof typeof KIND_LABELS] ?? value;
  if (facet === 'tag') return `#${value}`;
  return `@${value}`;
}

function hitPath(hit: SearchHit): string {
  if (hit.type === 'item') return itemPath(hit.id);
  if (hit.type === 'thread') return threadPath(hit.id);
  return hit.threadId
    ? `${threadPath(hit.threadId)}#comment-${encodeURIComponent(hit.id)}`
    : threadPath(hit.id);
}

function SearchBox({ q }: { q: string }) {
  const [draft, setDraft] = useState(q);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate(searchPagePath({ q: draft.trim() }));
  };
  return (
    <form role="search" aria-label="Everything" className="site-search" onSubmit={submit}>
      <TextField
        label="Search for"
        name="q"
        type="search"
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        hint={
          <>
            Use “quoted phrases”, <code>-word</code> to leave a word out, and <code>or</code>.
          </>
        }
      />
      <div className="actions">
        <button type="submit">Search</button>
      </div>
    </form>
  );
}

/** Each facet value narrows the search; the chosen one can be taken off again. */
function FacetList({
  name,
  values,
  current,
}: {
  name: FacetName;
  values: FacetValue[];
  current: SearchQuery;
}) {
  const chosen = current[name];
  return (
    <section className="facet" aria-labelledby={`facet-${name}`}>
      <h3 id={`facet-${name}`} className="small-heading">
        {FACET_TITLES[name]}
      </h3>
      <ul>
        {chosen ? (
          <li>
            <Link to={searchPagePath({ ...current, [name]: undefined })}>
              Any {FACET_TITLES[name].toLowerCase()}
            </Link>
          </li>
        ) : null}
        {values.map((v) => (
          <li key={v.value}>
            <Link
              to={searchPagePath({ ...current, [name]: v.value })}
              aria-current={chosen === v.value ? 'true' : undefined}
            >
              {valueLabel(name, v.value)}
            </Link>{' '}
            <span className="muted small">({v.count})</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Hit({ hit }: { hit: SearchHit }) {
  return (
    <article className="hit">
      <h3>
        <span className="badge">
          {hit.type === 'item' && hit.kind
            ? (KIND_LABELS[hit.kind as keyof typeof KIND_LABELS] ?? hit.kind)
            : (TYPE_LABELS[hit.type] ?? hit.type)}
        </span>{' '}
        <Link to={hitPath(hit)}>{hit.title || '(untitled)'}</Link>
      </h3>
      <Snippet html={hit.snippet} />
      <p className="meta small">
        <Link to={communePath(hit.commune)}>@{hit.commune}</Link>
        <span>@{hit.author}</span>
        <When iso={hit.createdAt} />
      </p>
    </article>
  );
}

/** Later pages follow the first page's cursor; a new query starts over (the page is keyed). */
function Results({ current }: { current: SearchQuery }) {
  const first = useApi<SearchAnswer>(searchPath(current));
  const [more, setMore] = useState<{ hits: SearchHit[]; next: string | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const [moreError, setMoreError] = useState<ApiError | null>(null);
  const next = more ? more.next : (first.data?.next ?? null);

  const loadMore = useCallback(async () => {
    if (!next) return;
    setBusy(true);
    const r = await api.get<SearchAnswer>(searchPath(current, next));
    setBusy(false);
    if (!r.ok) return setMoreError(r.error);
    setMoreError(null);
    setMore((m) => ({ hits: [...(m?.hits ?? []), ...r.value.items], next: r.value.next }));
  }, [current, next]);

  if (first.loading) return <Loading what="results" />;
  if (first.error) return <ErrorNotice error={first.error} what="search results" />;
  if (!first.data) return null;
  const hits = [...first.data.items, ...(more?.hits ?? [])];
  const facets = first.data.facets;
  const names = (Object.keys(FACET_TITLES) as FacetName[]).filter(
    (n) => (facets?.[n].length ?? 0) > 0,
  );

  return (
    <div className="search-layout">
      {names.length > 0 ? (
        <aside className="facets" aria-label="Narrow the results">
          {names.map((n) => (
            <FacetList key={n} name={n} values={facets?.[n] ?? []} current={current} />
          ))}
        </aside>
      ) : null}
      <section aria-labelledby="results" className="search-results">
        <h2 id="results">Results</h2>
        {hits.length === 0 ? (
          first.data.hidden ? null : (
            <p className="muted">Nothing found that you can see.</p>
          )
        ) : (
          <ol className="hits">
            {hits.map((h) => (
              <li key={`${h.type}:${h.id}`}>
                <Hit hit={h} />
              </li>
            ))}
          </ol>
        )}
        <HiddenNote count={first.data.hidden ?? 0} />
        {next ? (
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => void loadMore()}
          >
            {busy ? 'Loading…' : 'More results'}
          </button>
        ) : null}
        {moreError ? <ErrorNotice error={moreError} what="more results" /> : null}
      </section>
    </div>
  );
}

export function SearchPage() {
  const { params } = useLocation();
  const current: SearchQuery = {
    q: params.get('q') ?? '',
    type: params.get('type') ?? undefined,
    kind: params.get('kind') ?? undefined,
    tag: params.get('tag') ?? undefined,
    commune: params.get('commune') ?? undefined,
  };
  const key = searchPagePath(current);
  return (
    <section className="search-page">
      <PageHeading title={current.q ? `Search: ${current.q}` : 'Search'}>Search</PageHeading>
      <SearchBox key={`q:${current.q}`} q={current.q} />
      {current.q.trim() ? (
        <Results key={key} current={current} />
      ) : (
        <p className="muted">
          Search the inventories, discussions and comments you can see, in all your communes.
        </p>
      )}
    </section>
  );
}
