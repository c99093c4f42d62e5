import { useRef, useState, type FormEvent } from 'react';
import { inventoryApi, inventoryPaths, type Item } from '../api/inventory.ts';
import { communePath } from '../communes/labels.ts';
import { Link, navigate } from '../router.tsx';
import { useSession } from '../session.tsx';
import { FormError, SelectField } from '../ui/fields.tsx';
import { useFormErrors } from '../ui/form-errors.ts';
import { ErrorNotice, Loading, When } from '../ui/page.tsx';
import { Person } from '../ui/person.tsx';
import { usePagedList } from '../ui/use-api.ts';
import { itemPath } from './labels.ts';

/** Copies the item into another of the viewer's communes; the copy keeps its attribution. */
function ForkForm({ item }: { item: Item }) {
  const { me } = useSession();
  const targets = (me?.communes ?? []).filter((c) => c.handle !== item.commune);
  const [commune, setCommune] = useState('');
  const [busy, setBusy] = useState(false);
  const errors = useFormErrors(['commune']);
  const form = useRef<HTMLFormElement>(null);
  if (!me) return null;
  if (targets.length === 0)
    return (
      <p className="muted small">
        To fork this item, join another commune first: a fork goes into a commune you belong to.
      </p>
    );

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!commune)
      return errors.show(
        { status: 0, code: 'invalid_commune', message: 'Choose a commune.', field: 'commune' },
        form.current,
      );
    setBusy(true);
    const r = await inventoryApi.fork(item.id, commune);
    setBusy(false);
    if (!r.ok) return errors.show(r.error, form.current);
    navigate(itemPath(r.value.id));
  }

  return (
    <form ref={form} className="fork-form" onSubmit={(e) => void submit(e)} noValidate>
      <FormError message={errors.form} />
      <SelectField
        label="Fork into"
        name="commune"
        value={commune}
        onChange={(e) => setCommune(e.target.value)}
        options={[
          { value: '', label: 'Choose one of your communes' },
          ...targets.map((c) => ({ value: c.handle, label: `@${c.handle}` })),
        ]}
        hint="A copy of the current version; it names this item, its author and commune."
        error={errors.field('commune')}
      />
      <div className="actions">
        <button type="submit" className="secondary" disabled={busy}>
          {busy ? 'Forking…' : 'Fork'}
        </button>
      </div>
    </form>
  );
}

/** Forks of this item the viewer may see, and a way to make one. */
export function ForksSection({ item, canFork }: { item: Item; canFork: boolean }) {
  const list = usePagedList<Item>(inventoryPaths.forks(item.id));
  return (
    <section aria-labelledby="forks" className="panel">
      <h2 id="forks">Forks</h2>
      {list.loading ? <Loading what="the forks" /> : null}
      {list.error && list.error.status !== 404 ? (
        <ErrorNotice error={list.error} what="the forks" />
      ) : null}
      {list.data && list.data.length === 0 ? (
        <p className="muted small">No forks you can see.</p>
      ) : null}
      {list.data && list.data.length > 0 ? (
        <ul className="forks">
          {list.data.map((f) => (
            <li key={f.id}>
              <Link to={itemPath(f.id)}>{f.title}</Link>{' '}
              <span className="muted small">
                in <Link to={communePath(f.commune)}>@{f.commune}</Link> by{' '}
                <Person person={f.author} />, <When iso={f.createdAt} />
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {list.more ? (
        <button type="button" className="secondary small" onClick={list.more}>
          More forks
        </button>
      ) : null}
      {canFork ? <ForkForm item={item} /> : null}
    </section>
  );
}
