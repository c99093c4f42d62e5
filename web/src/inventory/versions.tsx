import { useState, type FormEvent } from 'react';
import { api, type ApiError } from '../api/client.ts';
import { inventoryPaths, type ItemDiff, type ItemVersion } from '../api/inventory.ts';
import { SelectField } from '../ui/fields.tsx';
import { ErrorNotice, Loading, When } from '../ui/page.tsx';
import { Person } from '../ui/person.tsx';
import { usePagedList } from '../ui/use-api.ts';
import { DiffView } from './diff-view.tsx';

/** Every version (who, when), and the changes between any two of them. */
export function VersionsSection({ id, latest }: { id: string; latest: number }) {
  // Keyed on the latest version by the caller, so a new edit reloads the list.
  const list = usePagedList<ItemVersion>(inventoryPaths.versions(id));
  const numbers = Array.from({ length: latest }, (_, i) => latest - i);
  const [from, setFrom] = useState(Math.max(1, latest - 1));
  const [to, setTo] = useState(latest);
  const [shown, setShown] = useState<ItemDiff | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function compare(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    const r = await api.get<ItemDiff>(inventoryPaths.diff(id, from, to));
    setBusy(false);
    if (!r.ok) {
      setShown(null);
      return setError(r.error);
    }
    setError(null);
    setShown(r.value);
  }

  const options = numbers.map((n) => ({ value: String(n), label: `Version ${n}` }));
  return (
    <section aria-labelledby="versions" className="panel">
      <h2 id="versions">Versions</h2>
      {list.loading ? <Loading what="the versions" /> : null}
      {list.error ? <ErrorNotice error={list.error} what="the versions" /> : null}
      {list.data ? (
        <ol className="versions" reversed>
          {[...list.data]
            .sort((a, b) => b.version - a.version)
            .map((v) => (
              <li key={v.version}>
                <strong>Version {v.version}</strong>{' '}
                <span className="muted small">
                  by <Person person={v.editedBy} />, <When iso={v.editedAt} />
                </span>
              </li>
            ))}
        </ol>
      ) : null}
      {list.more ? (
        <button type="button" className="secondary small" onClick={list.more}>
          Older versions
        </button>
      ) : null}
      {latest > 1 ? (
        <form
          className="compare-form"
          onSubmit={(e) => void compare(e)}
          aria-label="Compare versions"
        >
          <SelectField
            label="From"
            name="from"
            options={options}
            value={String(from)}
            onChange={(e) => setFrom(Number(e.target.value))}
          />
          <SelectField
            label="To"
            name="to"
            options={options}
            value={String(to)}
            onChange={(e) => setTo(Number(e.target.value))}
          />
          <div className="actions">
            <button type="submit" className="secondary" disabled={busy || from === to}>
              {busy ? 'Comparing…' : 'Show changes'}
            </button>
          </div>
        </form>
      ) : (
        <p className="muted small">Only one version so far.</p>
      )}
      {error ? <ErrorNotice error={error} what="the changes" /> : null}
      {shown ? (
        <div aria-live="polite">
          <h3>
            Changes from version {shown.from} to version {shown.to}
          </h3>
          <DiffView diff={shown} />
        </div>
      ) : null}
    </section>
  );
}
