import { useRef, useState, type FormEvent } from 'react';
import { api, seg } from '../api/client.ts';
import type { JoinResult } from '../api/types.ts';
import { CheckboxField, FormError } from '../ui/fields.tsx';
import { useFormErrors } from '../ui/form-errors.ts';
import { Notice } from '../ui/page.tsx';

/**
 * A private commune hides its charter from outsiders, so an invitee accepts its agreements
 * before seeing them; they are shown on the commune's page right after.
 */
export function PrivateInviteJoin({
  handle,
  code,
  onJoined,
}: {
  handle: string;
  code: string;
  onJoined: () => void;
}) {
  const [accepted, setAccepted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [pending, setPending] = useState(false);
  const errors = useFormErrors(['acceptAgreements', 'inviteCode']);
  const form = useRef<HTMLFormElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!accepted) {
      return errors.show(
        {
          status: 400,
          code: 'invalid_input',
          field: 'acceptAgreements',
          message: 'Please accept the agreements to join.',
        },
        form.current,
      );
    }
    setBusy(true);
    const r = await api.post<JoinResult>(`/communes/${seg(handle)}/applications`, {
      acceptAgreements: true,
      inviteCode: code,
    });
    setBusy(false);
    if (!r.ok) return errors.show(r.error, form.current);
    if (r.value.status === 'member') onJoined();
    else setPending(true);
  }

  if (pending)
    return (
      <Notice tone="success">
        Your request was sent. The members of @{handle} will decide on it together.
      </Notice>
    );
  return (
    <form ref={form} onSubmit={(e) => void submit(e)} noValidate className="stack panel">
      <p>@{handle} is private: its charter is shown to members only. You have an invite code.</p>
      <FormError message={errors.form ?? errors.field('inviteCode')} />
      <CheckboxField
        label="I will keep the commune’s agreements"
        name="acceptAgreements"
        checked={accepted}
        onChange={(e) => setAccepted(e.target.checked)}
        error={errors.field('acceptAgreements')}
      />
      <div className="actions">
        <button type="submit" disabled={busy}>
          Join with this invite
        </button>
      </div>
    </form>
  );
}
