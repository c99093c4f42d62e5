import { useState, type FormEvent } from 'react';
import { query } from '../api/client.ts';
import { CATEGORIES, type Commune } from '../api/types.ts';
import { CommuneCard } from '../communes/commune-card.tsx';
import { NearYou } from '../network/affinity-section.tsx';
import { Link, navigate, useLocation } from '../router.tsx';
import { useSession } from '../session.tsx';
import { SelectField, TextField } from '../ui/fields.tsx';
import { ErrorNotice, Loading, PageHeading } from '../ui/page.tsx';
import { HiddenNote } from '../ui/hidden-note.tsx';
import { usePagedList } from '../ui/use-api.ts';

function SearchForm({ q, tag, category }: { q: string; tag: string; category: string }) {
  const [draft, setDraft] = useState({ q, tag, category });
  function submit(e: FormEvent) {
    e.preventDefault();
    navigate(
      `/${query({ q: draft.q.trim(), tag: draft.tag.trim().toLowerCase(), category: draft.category })}`,
    );
  }
  return (
    <form role="search" aria-label="Communes" className="search-form" onSubmit={submit}>
      <TextField
        label="Search"
        name="q"
        type="search"
        value={draft.q}
        onChange={(e) => setDraft({ ...draft, q: e.target.value })}
      />
      <TextField
        label="Tag"
        name="tag"
        value={draft.tag}
        onChange={(e) => setDraft({ ...draft, tag: e.target.value })}
        autoCapitalize="none"
      />
      <SelectField
        label="Category"
        name="category"
        value={draft.category}
        onChange={(e) => setDraft({ ...draft, category: e.target.value })}
        options={[
          { value: '', label: 'Any category' },
          ...CATEGORIES.map((c) => ({ value: c, label: c[0]?.toUpperCase() + c.slice(1) })),
        ]}
      />
      <div className="actions">
        <button type="submit">Search</button>
      </div>
    </form>
  );
}

function YourCommunes() {
  const { me } = useSession();
  if (!me) return null;
  return (
    <section aria-labelledby="yours" className="panel">
      <h2 id="yours">Your communes</h2>
      {me.communes.length === 0 ? (
        <p className="muted">
          You have not joined a commune yet. Find one below, or{' '}
          <Link to="/new-commune">start one</Link>.
        </p>
      ) : (
        <ul className="inline-list">
          {me.communes.map((c) => (
            <li key={c.handle}>
              <Link to={`/communes/${encodeURIComponent(c.handle)}`}>@{c.handle}</Link>
              {c.role === 'steward' ? <span className="badge">steward</span> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** For a visitor who is not signed in: what Commune is, in two sentences, and the way in. */
function Welcome() {
  const { state } = useSession();
  if (state.status !== 'signed-out') return null;
  return (
    <section aria-labelledby="welcome" className="panel welcome">
      <h2 id="welcome">What is Commune?</h2>
      <p>
        Commune is a home for small groups who share a vision: talk things through, keep a common
        purse in a social currency of your own, and decide together with decisions that carry
        themselves out.
      </p>
      <p>
        There are no ads, no tracking and no follower counts, and communes find each other by what
        they share rather than by popularity.
      </p>
      <p className="actions">
        <Link className="button" to="/sign-up">
          Sign up
        </Link>
        <span>
          Already have an account? <Link to="/sign-in">Sign in</Link>
        </span>
      </p>
    </section>
  );
}

export function DiscoverPage() {
  const { params } = useLocation();
  const q = params.get('q') ?? '';
  const tag = params.get('tag') ?? '';
  const category = params.get('category') ?? '';
  const list = usePagedList<Commune>(`/communes${query({ q, tag, category })}`);
  const filtered = Boolean(q || tag || category);

  return (
    <>
      <PageHeading title="Discover">Discover communes</PageHeading>
      <p className="lede">
        Small groups of people living and working by shared agreements. Listed by name, never by
        popularity.
      </p>
      <Welcome />
      <YourCommunes />
      <NearYou />
      <section aria-labelledby="find" className="panel">
        <h2 id="find">Find a commune</h2>
        {/* Keyed by the URL so the fields follow back/forward navigation. */}
        <SearchForm key={`${q}|${tag}|${category}`} q={q} tag={tag} category={category} />
      </section>
      <section aria-labelledby="results" aria-busy={list.loading}>
        <h2 id="results">{filtered ? 'Matching communes' : 'All public communes'}</h2>
        {filtered ? (
          <p>
            <Link to="/">Clear the search</Link>
          </p>
        ) : null}
        {list.loading ? <Loading what="communes" /> : null}
        {list.error ? <ErrorNotice error={list.error} what="communes" /> : null}
        {list.data && list.data.length === 0 ? <p className="muted">No communes found.</p> : null}
        <HiddenNote count={list.hidden} />
        {list.data && list.data.length > 0 ? (
          <ul className="cards">
            {list.data.map((c) => (
              <li key={c.handle}>
                <CommuneCard commune={c} />
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
            {list.loadingMore ? 'Loading…' : 'Show more communes'}
          </button>
        ) : null}
      </section>
    </>
  );
}
