import { useRef, useState, type FormEvent } from 'react';
import { seg, type ApiError } from '../api/client.ts';
import {
  DEFAULT_LICENSE,
  ITEM_KINDS,
  inventoryApi,
  inventoryPaths,
  isTombstone,
  type Item,
  type ItemDraft,
  type ItemKind,
} from '../api/inventory.ts';
import type { Currency, Ledger } from '../api/ledger.ts';
import { communePath } from '../communes/labels.ts';
import { formatAmount, parseAmount } from '../ledger/money.ts';
import { Link, navigate, useLocation } from '../router.tsx';
import { FormError } from '../ui/fields.tsx';
import { useFormErrors } from '../ui/form-errors.ts';
import { ErrorNotice, Loading, Notice, PageHeading, When } from '../ui/page.tsx';
import { Person } from '../ui/person.tsx';
import { RequireSignIn } from '../ui/require-sign-in.tsx';
import { useApi } from '../ui/use-api.ts';
import { ITEM_FIELDS, ItemFields, type ItemForm } from './item-fields.tsx';
import { ServerHtml } from './item-parts.tsx';
import { communeItemsPath, itemPath, needsEstimate, parseTags } from './labels.ts';

const WHOLE: Pick<Currency, 'decimals' | 'unit'> = { decimals: 0, unit: 'unit' };

function formOf(item: Item, currency: Currency | null): ItemForm {
  return {
    kind: item.kind,
    title: item.title,
    body: item.body,
    tags: item.tags.join(', '),
    visibility: item.visibility,
    license: item.license,
    url: item.url ?? '',
    estimate:
      item.estimate === null || item.estimate === undefined
        ? ''
        : formatAmount(Number(item.estimate), (currency ?? WHOLE).decimals),
  };
}

/** The request, or an error to show beside the field the person must fix. */
function draftOf(form: ItemForm, currency: Currency | null, editing = false): ItemDraft | ApiError {
  const draft: ItemDraft = {
    kind: form.kind,
    title: form.title.trim(),
    body: form.body,
    tags: parseTags(form.tags),
    visibility: form.visibility,
    license: form.license.trim() || DEFAULT_LICENSE,
  };
  // An edit clears what the kind no longer carries; a new item just leaves it out.
  if (form.kind === 'link') draft.url = form.url.trim();
  else if (editing) draft.url = null;
  if (editing) draft.estimate = null;
  if (needsEstimate(form.kind) && form.estimate.trim()) {
    const parsed = parseAmount(form.estimate, currency ?? WHOLE);
    if (!parsed.ok)
      return { status: 0, code: 'invalid_estimate', message: parsed.message, field: 'estimate' };
    draft.estimate = parsed.value;
  }
  return draft;
}

const isDraft = (d: ItemDraft | ApiError): d is ItemDraft => !('code' in d);

/** The commune's currency, for estimates; members only, so it may not come. */
function useCurrency(commune: string | null): { currency: Currency | null; settled: boolean } {
  const ledger = useApi<Ledger>(commune ? `/communes/${seg(commune)}/ledger` : null);
  return {
    currency: ledger.data?.currency ?? null,
    settled: ledger.data !== null || ledger.error !== null,
  };
}

export function NewItemPage({ handle }: { handle: string }) {
  const { params } = useLocation();
  const asked = params.get('kind');
  const kind: ItemKind = (ITEM_KINDS as readonly string[]).includes(asked ?? '')
    ? (asked as ItemKind)
    : 'guide';
  const { currency } = useCurrency(handle);
  const [form, setForm] = useState<ItemForm>({
    kind,
    title: '',
    body: '',
    tags: '',
    visibility: 'commune',
    license: DEFAULT_LICENSE,
    url: '',
    estimate: '',
  });
  const [busy, setBusy] = useState(false);
  const errors = useFormErrors(ITEM_FIELDS);
  const ref = useRef<HTMLFormElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const draft = draftOf(form, currency);
    if (!isDraft(draft)) return errors.show(draft, ref.current);
    setBusy(true);
    const r = await inventoryApi.create(handle, draft);
    setBusy(false);
    if (!r.ok) return errors.show(r.error, ref.current);
    navigate(itemPath(r.value.id));
  }

  return (
    <section className="item-editor">
      <p className="breadcrumb small">
        <Link to={communePath(handle)}>@{handle}</Link> ›{' '}
        <Link to={communeItemsPath(handle)}>Inventory</Link>
      </p>
      <PageHeading title={`New item in @${handle}`}>Add to the inventory</PageHeading>
      <RequireSignIn what="add to the inventory">
        <form ref={ref} onSubmit={(e) => void submit(e)} noValidate className="stack">
          <FormError message={errors.form} />
          <ItemFields
            form={form}
            set={(p) => setForm((f) => ({ ...f, ...p }))}
            errors={errors}
            currency={currency}
          />
          <div className="actions">
            <button type="submit" disabled={busy}>
              {busy ? 'Saving…' : 'Save item'}
            </button>
            <Link to={communeItemsPath(handle)} className="button secondary">
              Cancel
            </Link>
          </div>
        </form>
      </RequireSignIn>
    </section>
  );
}

/** Someone saved a newer version meanwhile: show it, keep this person's text, let them choose. */
function ConflictNotice({
  current,
  busy,
  onReapply,
  onDiscard,
}: {
  current: Item;
  busy: boolean;
  onReapply: () => void;
  onDiscard: () => void;
}) {
  return (
    <section className="notice warning conflict" role="alert" aria-labelledby="conflict-heading">
      <h2 id="conflict-heading">Someone else changed this item meanwhile</h2>
      <p>
        Version {current.version} was saved by <Person person={current.author} /> on{' '}
        <When iso={current.updatedAt} />. Your text is still in the form below; nothing was
        overwritten.
      </p>
      <details open>
        <summary>Version {current.version} as it is now</summary>
        <h3>{current.title}</h3>
        <ServerHtml html={current.html} />
      </details>
      <div className="actions">
        <button type="button" onClick={onReapply} disabled={busy}>
          Save my text over version {current.version}
        </button>
        <button type="button" className="secondary" onClick={onDiscard}>
          Drop my changes and edit version {current.version}
        </button>
      </div>
    </section>
  );
}

function EditForm({
  item,
  currency,
  onSaved,
}: {
  item: Item;
  currency: Currency | null;
  onSaved: (i: Item) => void;
}) {
  const [form, setForm] = useState<ItemForm>(() => formOf(item, currency));
  const [base, setBase] = useState(item.version);
  const [conflict, setConflict] = useState<Item | null>(null);
  const [busy, setBusy] = useState(false);
  const errors = useFormErrors(ITEM_FIELDS);
  const ref = useRef<HTMLFormElement>(null);

  async function save(from: number) {
    const draft = draftOf(form, currency, true);
    if (!isDraft(draft)) return errors.show(draft, ref.current);
    setBusy(true);
    const r = await inventoryApi.update(item.id, draft, from);
    setBusy(false);
    if (r.ok) return onSaved(r.value);
    if ('conflict' in r) {
      errors.clear();
      setConflict(r.conflict.current);
      if (!r.conflict.current) errors.show(r.conflict.error);
      return;
    }
    errors.show(r.error, ref.current);
  }

  return (
    <>
      {conflict ? (
        <ConflictNotice
          current={conflict}
          busy={busy}
          onReapply={() => {
            // The person has seen the newer version and chose their text: save it on top.
            setBase(conflict.version);
            setConflict(null);
            void save(conflict.version);
          }}
          onDiscard={() => {
            setForm(formOf(conflict, currency));
            setBase(conflict.version);
            setConflict(null);
          }}
        />
      ) : null}
      <form
        ref={ref}
        onSubmit={(e) => {
          e.preventDefault();
          void save(base);
        }}
        noValidate
        className="stack"
      >
        <FormError message={errors.form} />
        <p className="muted small">Editing from version {base}.</p>
        <ItemFields
          form={form}
          set={(p) => setForm((f) => ({ ...f, ...p }))}
          errors={errors}
          currency={currency}
        />
        <div className="actions">
          <button type="submit" disabled={busy || conflict !== null}>
            {busy ? 'Saving…' : 'Save changes'}
          </button>
          <Link to={itemPath(item.id)} className="button secondary">
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}

export function EditItemPage({ id }: { id: string }) {
  const loaded = useApi<Item>(inventoryPaths.item(id));
  const item = loaded.data;
  // The estimate is shown in the currency's decimals, so the form waits for the currency.
  const { currency, settled } = useCurrency(item?.commune ?? null);
  if ((loaded.loading && !item) || (item && !settled)) return <Loading what="the item" />;
  return (
    <section className="item-editor">
      <PageHeading title={item ? `Edit ${item.title}` : 'Edit item'}>Edit item</PageHeading>
      {loaded.error ? <ErrorNotice error={loaded.error} what="this item" /> : null}
      {item && isTombstone(item) ? (
        <Notice tone="warning">This item was deleted; it can no longer be edited.</Notice>
      ) : null}
      {item && !isTombstone(item) ? (
        <RequireSignIn what="edit this item">
          <EditForm
            item={item}
            currency={currency}
            onSaved={(saved) => navigate(itemPath(saved.id))}
          />
        </RequireSignIn>
      ) : null}
    </section>
  );
}
