import { useDeferredValue, useMemo } from 'react';
import {
  ITEM_KINDS,
  ITEM_VISIBILITIES,
  type ItemKind,
  type ItemVisibility,
} from '../api/inventory.ts';
import type { Currency } from '../api/ledger.ts';
import { pluralUnit } from '../ledger/money.ts';
import { SelectField, TextArea, TextField } from '../ui/fields.tsx';
import type { FormErrors } from '../ui/form-errors.ts';
import { ITEM_VISIBILITY_LABELS, KIND_HINTS, KIND_LABELS, needsEstimate } from './labels.ts';
import { previewHtml } from './preview.ts';

/** What the form holds: text as typed, turned into a request on submit. */
export type ItemForm = {
  kind: ItemKind;
  title: string;
  body: string;
  tags: string;
  visibility: ItemVisibility;
  license: string;
  url: string;
  estimate: string;
};

export const ITEM_FIELDS = [
  'kind',
  'title',
  'body',
  'tags',
  'visibility',
  'license',
  'url',
  'estimate',
] as const;

// A few common choices; any SPDX id may be typed, and the server checks it.
const LICENSES = [
  'CC-BY-SA-4.0',
  'CC-BY-4.0',
  'CC0-1.0',
  'CC-BY-NC-SA-4.0',
  'MIT',
  'GPL-3.0-or-later',
];

/** The rendered Markdown beside the text; deferred so typing never waits on it. */
function Preview({ body }: { body: string }) {
  const deferred = useDeferredValue(body);
  const html = useMemo(() => previewHtml(deferred), [deferred]);
  return (
    <section className="preview" aria-labelledby="preview-heading">
      <h3 id="preview-heading" className="small-heading">
        Preview
      </h3>
      {deferred.trim() ? (
        <div className="prose" dangerouslySetInnerHTML={{ __html: html }} />
      ) : (
        <p className="muted small">The text will appear here as you write.</p>
      )}
    </section>
  );
}

export function ItemFields({
  form,
  set,
  errors,
  currency,
  kindLocked = false,
}: {
  form: ItemForm;
  set: (patch: Partial<ItemForm>) => void;
  errors: FormErrors;
  currency: Currency | null;
  kindLocked?: boolean;
}) {
  const unit = currency ? pluralUnit(currency.unit) : 'units of the commune’s currency';
  return (
    <>
      <SelectField
        label="Kind"
        name="kind"
        value={form.kind}
        disabled={kindLocked}
        onChange={(e) => set({ kind: e.target.value as ItemKind })}
        options={ITEM_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }))}
        hint={KIND_HINTS[form.kind]}
        error={errors.field('kind')}
      />
      <TextField
        label="Title"
        name="title"
        required
        maxLength={200}
        value={form.title}
        onChange={(e) => set({ title: e.target.value })}
        error={errors.field('title')}
      />
      {form.kind === 'link' ? (
        <TextField
          label="Address (URL)"
          name="url"
          type="url"
          inputMode="url"
          placeholder="https://"
          value={form.url}
          onChange={(e) => set({ url: e.target.value })}
          hint="An http or https address."
          error={errors.field('url')}
        />
      ) : null}
      <div className="editor-pair">
        <TextArea
          label="Text"
          name="body"
          rows={14}
          value={form.body}
          onChange={(e) => set({ body: e.target.value })}
          hint="Markdown works: **bold**, _italic_, lists, links and tables."
          error={errors.field('body')}
        />
        <Preview body={form.body} />
      </div>
      <TextField
        label="Tags"
        name="tags"
        autoCapitalize="none"
        value={form.tags}
        onChange={(e) => set({ tags: e.target.value })}
        hint="Separated by commas, such as: bread, baking"
        error={errors.field('tags')}
      />
      {needsEstimate(form.kind) ? (
        <TextField
          label={`Estimate (${unit}, optional)`}
          name="estimate"
          inputMode={currency && currency.decimals > 0 ? 'decimal' : 'numeric'}
          autoComplete="off"
          value={form.estimate}
          onChange={(e) => set({ estimate: e.target.value })}
          error={errors.field('estimate')}
        />
      ) : null}
      <SelectField
        label="Who can see it"
        name="visibility"
        value={form.visibility}
        onChange={(e) => set({ visibility: e.target.value as ItemVisibility })}
        options={ITEM_VISIBILITIES.map((v) => ({ value: v, label: ITEM_VISIBILITY_LABELS[v] }))}
        hint="Allies are communes this one has formed an alliance with. A private commune’s items cannot be public."
        error={errors.field('visibility')}
      />
      <TextField
        label="License"
        name="license"
        list="item-licenses"
        autoCapitalize="none"
        value={form.license}
        onChange={(e) => set({ license: e.target.value })}
        hint="An SPDX identifier; the default lets others share and adapt it with credit."
        error={errors.field('license')}
      />
      <datalist id="item-licenses">
        {LICENSES.map((l) => (
          <option key={l} value={l} />
        ))}
      </datalist>
    </>
  );
}
