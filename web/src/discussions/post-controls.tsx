import { useRef, useState, type FormEvent, type MouseEvent } from 'react';
import { api, type ApiError } from '../api/client.ts';
import type { PostEdit } from '../api/types.ts';
import { FormError, TextField } from '../ui/fields.tsx';
import { useFormErrors } from '../ui/form-errors.ts';
import { When } from '../ui/page.tsx';
import { navigate } from '../router.tsx';
import { MarkdownField } from './markdown-field.tsx';

// Editing one's own posts, their history, and stewards' reasons (ADR 0023).

/** A plain click on a link to one of our own pages (a mention's /people/…) stays in the app. */
function followInApp(e: MouseEvent<HTMLDivElement>) {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey)
    return;
  const a = (e.target as Element).closest('a');
  const href = a?.getAttribute('href') ?? '';
  if (!href.startsWith('/people/')) return;
  e.preventDefault();
  navigate(href);
}

/** Server-rendered Markdown: the server sanitizes `html`, and only that field is injected. */
export function ServerHtml({ html, className }: { html: string; className?: string }) {
  return (
    <div
      className={`prose ${className ?? ''}`}
      onClick={followInApp}
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}

/** Edits a post's body (and a thread's title), with a preview before saving. */
export function EditForm<T>({
  path,
  title: initialTitle,
  body: initialBody,
  onSaved,
  onCancel,
}: {
  path: string;
  title?: string;
  body: string;
  onSaved: (saved: T) => void;
  onCancel: () => void;
}) {
  const [title, setTitle] = useState(initialTitle ?? '');
  const [body, setBody] = useState(initialBody);
  const [busy, setBusy] = useState(false);
  const errors = useFormErrors(['title', 'body']);
  const form = useRef<HTMLFormElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    const r = await api.patch<T>(path, initialTitle === undefined ? { body } : { title, body });
    setBusy(false);
    if (!r.ok) return errors.show(r.error, form.current);
    onSaved(r.value);
  }

  return (
    <form ref={form} onSubmit={(e) => void submit(e)} noValidate className="stack edit-form">
      <FormError message={errors.form} />
      {initialTitle !== undefined ? (
        <TextField
          label="Title"
          name="title"
          required
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          error={errors.field('title')}
        />
      ) : null}
      <MarkdownField
        label="Text"
        name="body"
        value={body}
        onChange={setBody}
        error={errors.field('body')}
      />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save changes'}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** "edited" with the earlier versions behind a toggle. */
export function EditedMarker({ editedAt, historyPath }: { editedAt: string; historyPath: string }) {
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<PostEdit[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  async function toggle() {
    const next = !open;
    setOpen(next);
    if (!next || items) return;
    const r = await api.get<{ items: PostEdit[] }>(historyPath);
    if (r.ok) setItems(r.value.items);
    else setError(r.error);
  }

  return (
    <span className="edited">
      <button
        type="button"
        className="link-button small"
        aria-expanded={open}
        onClick={() => void toggle()}
        title={`Edited ${new Date(editedAt).toLocaleString()}`}
      >
        edited
      </button>
      {open ? (
        <div className="history" role="region" aria-label="Edit history">
          {error ? <p className="form-error">{error.message}</p> : null}
          {items === null && !error ? <p className="muted small">Loading…</p> : null}
          {items && items.length === 0 ? <p className="muted small">No earlier versions.</p> : null}
          {items?.map((e, i) => (
            <div key={i} className="history-item">
              <p className="muted small">
                Until <When iso={e.replacedAt} />
              </p>
              {e.title !== null ? <p className="history-title">{e.title}</p> : null}
              <ServerHtml html={e.html} />
            </div>
          ))}
        </div>
      ) : null}
    </span>
  );
}

/** A steward's action that needs a reason, asked in place and logged for members. */
export function ReasonAction<T>({
  label,
  path,
  onDone,
}: {
  label: string;
  path: string;
  onDone: (value: T) => void;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const errors = useFormErrors(['reason']);
  const form = useRef<HTMLFormElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    const r = await api.post<T>(path, { reason });
    setBusy(false);
    if (!r.ok) return errors.show(r.error, form.current);
    setOpen(false);
    setReason('');
    onDone(r.value);
  }

  if (!open)
    return (
      <button type="button" className="link-button small" onClick={() => setOpen(true)}>
        {label}
      </button>
    );
  return (
    <form ref={form} onSubmit={(e) => void submit(e)} noValidate className="stack reason-form">
      <FormError message={errors.form} />
      <TextField
        label={`Reason to ${label.toLowerCase()}`}
        name="reason"
        required
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        hint="Members see it in the moderation log."
        error={errors.field('reason')}
      />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {label}
        </button>
        <button type="button" className="secondary" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
