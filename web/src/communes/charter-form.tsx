import { useRef, useState, type FormEvent } from 'react';
import type { ApiError, ApiResult } from '../api/client.ts';
import {
  CATEGORIES,
  JOIN_POLICIES,
  MAX_MEMBERS,
  VISIBILITIES,
  type Charter,
} from '../api/types.ts';
import { FormError, SelectField, TextArea, TextField } from '../ui/fields.tsx';
import { useFormErrors } from '../ui/form-errors.ts';
import {
  JOIN_POLICY_HINTS,
  JOIN_POLICY_LABELS,
  VISIBILITY_HINTS,
  VISIBILITY_LABELS,
  categoryLabel,
} from './labels.ts';

const FIELDS = [
  'handle',
  'name',
  'vision',
  'category',
  'tags',
  'agreements',
  'joinPolicy',
  'visibility',
  'maxMembers',
] as const;

type Draft = Omit<Charter, 'tags' | 'agreements' | 'maxMembers'> & {
  tags: string;
  agreements: string;
  maxMembers: string;
};

export const emptyCharter: Charter = {
  handle: '',
  name: '',
  vision: '',
  category: 'social',
  tags: [],
  joinPolicy: 'open',
  visibility: 'public',
  maxMembers: MAX_MEMBERS,
  agreements: [],
};

// Picks the charter's own fields: a loaded commune also carries counts and the viewer's role.
const toDraft = (c: Charter): Draft => ({
  handle: c.handle,
  name: c.name,
  vision: c.vision,
  category: c.category,
  joinPolicy: c.joinPolicy,
  visibility: c.visibility,
  tags: (c.tags ?? []).join(', '),
  agreements: (c.agreements ?? []).join('\n'),
  maxMembers: String(c.maxMembers ?? MAX_MEMBERS),
});

/** Tags are typed comma-separated and agreements one per line; the API takes arrays. */
function fromDraft(d: Draft): Charter | ApiError {
  const maxMembers = d.maxMembers.trim() === '' ? MAX_MEMBERS : Number(d.maxMembers);
  if (!Number.isInteger(maxMembers))
    return {
      status: 400,
      code: 'invalid_input',
      message: 'Enter a whole number of members.',
      field: 'maxMembers',
    };
  return {
    ...d,
    handle: d.handle.trim(),
    name: d.name.trim(),
    tags: d.tags
      .split(',')
      .map((t) => t.trim().toLowerCase())
      .filter(Boolean),
    agreements: d.agreements
      .split('\n')
      .map((a) => a.trim())
      .filter(Boolean),
    maxMembers,
  };
}

type Props = {
  initial?: Charter;
  /** Editing keeps the handle: it is the commune's address. */
  editing?: boolean;
  submitLabel: string;
  onSubmit: (charter: Charter) => Promise<ApiResult<unknown>>;
};

export function CharterForm({
  initial = emptyCharter,
  editing = false,
  submitLabel,
  onSubmit,
}: Props) {
  const [draft, setDraft] = useState<Draft>(() => toDraft(initial));
  const [busy, setBusy] = useState(false);
  const errors = useFormErrors(FIELDS);
  const form = useRef<HTMLFormElement>(null);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const charter = fromDraft(draft);
    if ('code' in charter) return errors.show(charter, form.current);
    setBusy(true);
    const r = await onSubmit(charter);
    setBusy(false);
    if (!r.ok) errors.show(r.error, form.current);
    else errors.clear();
  }

  return (
    <form ref={form} onSubmit={(e) => void submit(e)} noValidate className="stack">
      <FormError message={errors.form} />
      <fieldset>
        <legend>Who you are</legend>
        <TextField
          label="Name"
          name="name"
          required
          value={draft.name}
          onChange={(e) => set('name', e.target.value)}
          error={errors.field('name')}
        />
        <TextField
          label="Handle"
          name="handle"
          required
          readOnly={editing}
          autoCapitalize="none"
          spellCheck={false}
          value={draft.handle}
          onChange={(e) => set('handle', e.target.value)}
          hint={
            editing
              ? 'The handle is the commune’s address and cannot change.'
              : '2–30 characters: lowercase letters, digits or _. It becomes the commune’s address.'
          }
          error={errors.field('handle')}
        />
        <TextArea
          label="Vision"
          name="vision"
          required
          rows={6}
          value={draft.vision}
          onChange={(e) => set('vision', e.target.value)}
          hint="Why this commune exists and what it hopes to become."
          error={errors.field('vision')}
        />
        <SelectField
          label="Category"
          name="category"
          value={draft.category}
          onChange={(e) => set('category', e.target.value as Draft['category'])}
          options={CATEGORIES.map((c) => ({ value: c, label: categoryLabel(c) }))}
          error={errors.field('category')}
        />
        <TextField
          label="Tags"
          name="tags"
          autoCapitalize="none"
          value={draft.tags}
          onChange={(e) => set('tags', e.target.value)}
          hint="Separate tags with commas, e.g. gardening, repair, music."
          error={errors.field('tags')}
        />
      </fieldset>
      <fieldset>
        <legend>How you live together</legend>
        <TextArea
          label="Agreements"
          name="agreements"
          rows={5}
          value={draft.agreements}
          onChange={(e) => set('agreements', e.target.value)}
          hint="One agreement per line. Everyone accepts these when they join."
          error={errors.field('agreements')}
        />
        <SelectField
          label="Join policy"
          name="joinPolicy"
          value={draft.joinPolicy}
          onChange={(e) => set('joinPolicy', e.target.value as Draft['joinPolicy'])}
          options={JOIN_POLICIES.map((p) => ({ value: p, label: JOIN_POLICY_LABELS[p] }))}
          hint={JOIN_POLICY_HINTS[draft.joinPolicy]}
          error={errors.field('joinPolicy')}
        />
        <SelectField
          label="Visibility"
          name="visibility"
          value={draft.visibility}
          onChange={(e) => set('visibility', e.target.value as Draft['visibility'])}
          options={VISIBILITIES.map((v) => ({ value: v, label: VISIBILITY_LABELS[v] }))}
          hint={VISIBILITY_HINTS[draft.visibility]}
          error={errors.field('visibility')}
        />
        <TextField
          label="Largest size"
          name="maxMembers"
          type="number"
          inputMode="numeric"
          min={2}
          max={MAX_MEMBERS}
          value={draft.maxMembers}
          onChange={(e) => set('maxMembers', e.target.value)}
          hint={`Between 2 and ${MAX_MEMBERS} members. Small groups stay able to know each other.`}
          error={errors.field('maxMembers')}
        />
      </fieldset>
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
      </div>
    </form>
  );
}
