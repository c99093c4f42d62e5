import { useRef, useState, type FormEvent } from 'react';
import { api, seg } from '../api/client.ts';
import type { Proposal } from '../api/decisions.ts';
import { FormError, TextArea, TextField } from '../ui/fields.tsx';
import { useFormErrors } from '../ui/form-errors.ts';

/** The author rewords a proposal until the first vote; the server says so once there is one. */
export function ProposalEdit({ proposal, onSaved }: { proposal: Proposal; onSaved: () => void }) {
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState(proposal.title);
  const [body, setBody] = useState(proposal.body);
  const [busy, setBusy] = useState(false);
  const errors = useFormErrors(['title', 'body']);
  const form = useRef<HTMLFormElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    const r = await api.patch<Proposal>(`/proposals/${seg(proposal.id)}`, { title, body });
    setBusy(false);
    if (!r.ok) return errors.show(r.error, form.current);
    setOpen(false);
    onSaved();
  }

  if (!open)
    return (
      <p className="small">
        <button type="button" className="link-button" onClick={() => setOpen(true)}>
          Edit the proposal
        </button>{' '}
        <span className="muted">(until the first vote)</span>
      </p>
    );
  return (
    <form ref={form} onSubmit={(e) => void submit(e)} noValidate className="stack panel">
      <FormError message={errors.form} />
      <TextField
        label="Title"
        name="title"
        required
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        error={errors.field('title')}
      />
      <TextArea
        label="Text"
        name="body"
        rows={6}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        error={errors.field('body')}
      />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save changes'}
        </button>
        <button type="button" className="secondary" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
