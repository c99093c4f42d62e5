import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api } from '../api/client.ts';
import { useLocation } from '../router.tsx';
import { useSession } from '../session.tsx';
import { FormError, SelectField, TextField } from '../ui/fields.tsx';
import { useFormErrors } from '../ui/form-errors.ts';
import { ErrorNotice, Loading, Notice, PageHeading } from '../ui/page.tsx';
import { RequireSignIn } from '../ui/require-sign-in.tsx';
import { useApi } from '../ui/use-api.ts';
import { AddressStatus } from './email-address.tsx';
import type { NotificationSettings } from './types.ts';

const LEVEL_OPTIONS = [
  { value: 'all', label: 'Everything' },
  { value: 'important', label: 'Important only (what asks something of me or is addressed to me)' },
  { value: 'none', label: 'Nothing' },
];
const EMAIL_OPTIONS = [
  { value: 'daily', label: 'A daily digest, at most one email a day' },
  { value: 'immediate', label: 'At once, one email per notification' },
  { value: 'none', label: 'No email' },
];

export function NotificationSettingsPage() {
  return (
    <section className="narrow">
      <PageHeading title="Notification settings">Notification settings</PageHeading>
      <p className="lede">
        Your filters apply to notifications too: what they leave out of your lists never notifies
        you.
      </p>
      <RequireSignIn what="change your notification settings">
        <SettingsForm />
      </RequireSignIn>
    </section>
  );
}

function SettingsForm() {
  const loaded = useApi<NotificationSettings>('/me/notification-settings');
  const [draft, setDraft] = useState<NotificationSettings | null>(null);
  const [commune, setCommune] = useState('');
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const errors = useFormErrors(['level', 'email', 'address', 'communes']);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => setDraft(loaded.data), [loaded.data]);

  if (loaded.loading && !draft) return <Loading what="your settings" />;
  if (loaded.error) return <ErrorNotice error={loaded.error} what="your settings" />;
  if (!draft) return null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!draft) return;
    setBusy(true);
    const communes = { ...draft.communes };
    const extra = commune.trim().replace(/^@/, '').toLowerCase();
    if (extra) communes[extra] = 'important';
    const r = await api.put<NotificationSettings>('/me/notification-settings', {
      level: draft.level,
      email: draft.email,
      address: draft.address === '' ? null : draft.address,
      communes,
    });
    setBusy(false);
    setSaved(r.ok);
    if (!r.ok) return errors.show(r.error, form.current);
    errors.clear();
    setCommune('');
    setDraft(r.value);
    loaded.reload();
  }

  return (
    <form ref={form} onSubmit={(e) => void submit(e)} noValidate className="stack panel">
      <FormError message={errors.form} />
      {saved ? <Notice tone="success">Saved.</Notice> : null}
      <SelectField
        label="Notify me of"
        name="level"
        value={draft.level}
        onChange={(e) =>
          setDraft({ ...draft, level: e.target.value as NotificationSettings['level'] })
        }
        options={LEVEL_OPTIONS}
        error={errors.field('level')}
      />
      <SelectField
        label="Email"
        name="email"
        value={draft.email}
        onChange={(e) =>
          setDraft({ ...draft, email: e.target.value as NotificationSettings['email'] })
        }
        options={EMAIL_OPTIONS}
        error={errors.field('email')}
      />
      <TextField
        label="Email address"
        name="address"
        type="email"
        value={draft.address ?? ''}
        onChange={(e) => setDraft({ ...draft, address: e.target.value })}
        hint="Only for notification email. Leave empty for none. A new address gets a link to confirm it."
        error={errors.field('address')}
      />
      {loaded.data ? <AddressStatus settings={loaded.data} onSent={loaded.reload} /> : null}
      <fieldset>
        <legend>Per commune</legend>
        {Object.entries(draft.communes).map(([handle, level]) => (
          <SelectField
            key={handle}
            label={handle}
            name={`commune-${handle}`}
            value={level}
            onChange={(e) =>
              setDraft({
                ...draft,
                communes: { ...draft.communes, [handle]: e.target.value as typeof level },
              })
            }
            options={LEVEL_OPTIONS}
          />
        ))}
        <TextField
          label="Quieter in a commune (its handle)"
          name="commune"
          value={commune}
          onChange={(e) => setCommune(e.target.value)}
          hint="Adds it as important only; change it above afterwards."
          error={errors.field('communes')}
        />
      </fieldset>
      <div className="actions">
        <button type="submit" disabled={busy}>
          Save settings
        </button>
      </div>
    </form>
  );
}

/** The page an email's unsubscribe link opens: one button, no sign-in needed. */
export function UnsubscribePage() {
  const { params } = useLocation();
  // A signed-in reader's write needs the session's CSRF token, known once the session loaded.
  const { state: session } = useSession();
  const token = params.get('token') ?? '';
  const [state, setState] = useState<'ready' | 'busy' | 'done' | 'unknown'>('ready');
  async function unsubscribe() {
    setState('busy');
    const r = await api.post(`/unsubscribe?token=${encodeURIComponent(token)}`);
    setState(r.ok ? 'done' : 'unknown');
  }
  return (
    <section className="narrow">
      <PageHeading title="Unsubscribe">Stop notification email</PageHeading>
      {state === 'done' ? (
        <Notice tone="success">
          Done: no more notification email. Notifications stay in the app.
        </Notice>
      ) : state === 'unknown' ? (
        <div className="notice warning" role="alert">
          This unsubscribe link is not known. You can turn email off in your notification settings.
        </div>
      ) : (
        <button
          type="button"
          disabled={state === 'busy' || !token || session.status === 'loading'}
          onClick={() => void unsubscribe()}
        >
          Unsubscribe
        </button>
      )}
    </section>
  );
}
