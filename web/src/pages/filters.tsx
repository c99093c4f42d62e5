import { useRef, useState, type FormEvent } from 'react';
import { api, seg, type ApiError } from '../api/client.ts';
import { FILTER_KINDS, type Filter, type FilterKind } from '../api/types.ts';
import { FormError, SelectField, TextField } from '../ui/fields.tsx';
import { useFormErrors } from '../ui/form-errors.ts';
import { Loading, PageHeading } from '../ui/page.tsx';
import { RequireSignIn } from '../ui/require-sign-in.tsx';
import { usePagedList } from '../ui/use-api.ts';

const KIND_LABELS: Record<FilterKind, { option: string; value: string; hint: string }> = {
  word: {
    option: 'A word or phrase',
    value: 'Word or phrase',
    hint: 'Threads and comments containing it are left out.',
  },
  person: {
    option: 'A person',
    value: 'Their handle',
    hint: 'What they write is left out of your lists.',
  },
  thread: {
    option: 'A thread',
    value: 'Thread id',
    hint: 'Tip: the thread page has a button that does this for you.',
  },
  commune: {
    option: 'A commune',
    value: 'The commune’s handle',
    hint: 'Its threads are left out of your lists.',
  },
};

function AddFilter({ onAdded }: { onAdded: () => void }) {
  const [kind, setKind] = useState<FilterKind>('word');
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const errors = useFormErrors(['kind', 'value']);
  const form = useRef<HTMLFormElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    const cleaned =
      kind === 'person' || kind === 'commune' ? value.trim().replace(/^@/, '') : value.trim();
    const r = await api.post<Filter>('/me/filters', { kind, value: cleaned });
    setBusy(false);
    if (!r.ok) return errors.show(r.error, form.current);
    errors.clear();
    setValue('');
    onAdded();
  }

  const labels = KIND_LABELS[kind];
  return (
    <form
      ref={form}
      onSubmit={(e) => void submit(e)}
      noValidate
      className="stack panel"
      aria-labelledby="add-filter"
    >
      <h2 id="add-filter">Add a filter</h2>
      <FormError message={errors.form} />
      <SelectField
        label="Leave out"
        name="kind"
        value={kind}
        onChange={(e) => setKind(e.target.value as FilterKind)}
        options={FILTER_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k].option }))}
        error={errors.field('kind')}
      />
      <TextField
        label={labels.value}
        name="value"
        required
        value={value}
        onChange={(e) => setValue(e.target.value)}
        hint={labels.hint}
        error={errors.field('value')}
      />
      <div className="actions">
        <button type="submit" disabled={busy}>
          Add filter
        </button>
      </div>
    </form>
  );
}

export function FiltersPage() {
  return (
    <section className="narrow">
      <PageHeading title="Filters">Your filters</PageHeading>
      <p className="lede">
        Filters quietly leave things out of your own lists. Nobody else is told, and nothing is
        deleted.
      </p>
      <RequireSignIn what="manage your filters">
        <FilterManager />
      </RequireSignIn>
    </section>
  );
}

function FilterManager() {
  const list = usePagedList<Filter>('/me/filters');
  const [problem, setProblem] = useState<ApiError | null>(null);

  async function remove(f: Filter) {
    const r = await api.del(`/me/filters/${seg(f.id)}`);
    setProblem(r.ok ? null : r.error);
    list.reload();
  }

  return (
    <>
      <AddFilter onAdded={list.reload} />
      <section aria-labelledby="current-filters" className="panel">
        <h2 id="current-filters">Current filters</h2>
        {problem ? (
          <p className="form-error" role="alert">
            {problem.message}
          </p>
        ) : null}
        {list.loading && !list.data ? <Loading what="filters" /> : null}
        {list.error ? (
          <p className="form-error" role="alert">
            Could not load filters: {list.error.message}
          </p>
        ) : null}
        {list.data && list.data.length === 0 ? <p className="muted">No filters yet.</p> : null}
        <ul className="filters">
          {(list.data ?? []).map((f) => (
            <li key={f.id}>
              <span>
                <span className="badge">{f.kind}</span>{' '}
                <span className="filter-value">{f.value}</span>
              </span>
              <button type="button" className="secondary small" onClick={() => void remove(f)}>
                Remove
                <span className="visually-hidden">
                  {' '}
                  the {f.kind} filter “{f.value}”
                </span>
              </button>
            </li>
          ))}
        </ul>
        {list.more ? (
          <button type="button" className="secondary" onClick={list.more}>
            Show more filters
          </button>
        ) : null}
      </section>
    </>
  );
}
