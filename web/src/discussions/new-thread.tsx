import { useRef, useState, type FormEvent } from 'react';
import { api, seg } from '../api/client.ts';
import type { Thread } from '../api/types.ts';
import { communePath } from '../communes/labels.ts';
import { Link, navigate } from '../router.tsx';
import { FormError, TextField } from '../ui/fields.tsx';
import { useFormErrors } from '../ui/form-errors.ts';
import { PageHeading } from '../ui/page.tsx';
import { RequireSignIn } from '../ui/require-sign-in.tsx';
import { MarkdownField } from './markdown-field.tsx';
import { threadPath } from './thread-list.tsx';

export function NewThreadPage({ handle }: { handle: string }) {
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const errors = useFormErrors(['title', 'body']);
  const form = useRef<HTMLFormElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    const r = await api.post<Thread>(`/communes/${seg(handle)}/threads`, {
      title: title.trim(),
      body,
    });
    setBusy(false);
    if (!r.ok) return errors.show(r.error, form.current);
    navigate(threadPath(r.value.id));
  }

  return (
    <section className="narrow">
      <PageHeading title={`New thread in @${handle}`}>Start a thread</PageHeading>
      <p>
        In <Link to={communePath(handle)}>@{handle}</Link>
      </p>
      <RequireSignIn what="start a thread">
        <form ref={form} onSubmit={(e) => void submit(e)} noValidate className="stack">
          <FormError message={errors.form} />
          <TextField
            label="Title"
            name="title"
            required
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            error={errors.field('title')}
          />
          <MarkdownField
            label="Message"
            name="body"
            rows={10}
            value={body}
            onChange={setBody}
            hint="Markdown works: **bold**, _italic_, lists and links."
            error={errors.field('body')}
          />
          <div className="actions">
            <button type="submit" disabled={busy}>
              {busy ? 'Posting…' : 'Post thread'}
            </button>
            <Link to={communePath(handle)} className="button secondary">
              Cancel
            </Link>
          </div>
        </form>
      </RequireSignIn>
    </section>
  );
}
