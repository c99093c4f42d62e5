import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import { Link, useLocation } from '../router.tsx';
import { useSession } from '../session.tsx';
import { Notice, PageHeading, When } from '../ui/page.tsx';
import type { NotificationSettings } from './types.ts';

// Verifying the notification email address (docs/adr/0034): until its link is followed, the
// address receives nothing but that link.

/** Under the address field: whether it is verified, and a way to send a new link. */
export function AddressStatus({
  settings,
  onSent,
}: {
  settings: NotificationSettings;
  onSent: () => void;
}) {
  const [state, setState] = useState<'idle' | 'busy' | 'sent'>('idle');
  const [problem, setProblem] = useState<string | null>(null);
  if (settings.address === null) return null;
  if (settings.addressVerified)
    return <Notice tone="success">{settings.address} is verified.</Notice>;

  async function resend() {
    setState('busy');
    const r = await api.post('/me/notification-settings/verification');
    setState(r.ok ? 'sent' : 'idle');
    setProblem(r.ok ? null : r.error.message);
    if (r.ok) onSent();
  }
  return (
    <div className="notice warning" role="status" aria-label="Address verification">
      <p>
        {settings.address} is not verified yet: notification email starts once you follow the link
        we email there.{' '}
        {settings.verificationSentAt ? (
          <>
            The last link went out <When iso={settings.verificationSentAt} /> and works for 24
            hours.
          </>
        ) : (
          'No link is waiting.'
        )}
      </p>
      {state === 'sent' ? <p>A new link is on its way.</p> : null}
      {problem ? <p role="alert">{problem}</p> : null}
      <button
        type="button"
        className="secondary"
        disabled={state === 'busy'}
        onClick={() => void resend()}
      >
        Send a new link
      </button>
    </div>
  );
}

type Verified = { ok: true; address: string } | { ok: false; message: string };
/** One request per link, however often the page mounts (a link works once). */
const verifying = new Map<string, Promise<Verified>>();
const verify = (token: string): Promise<Verified> => {
  let p = verifying.get(token);
  if (!p) {
    p = api
      .post<{ address: string }>('/verify-email', { token })
      .then((r) =>
        r.ok ? { ok: true, address: r.value.address } : { ok: false, message: r.error.message },
      );
    verifying.set(token, p);
  }
  return p;
};

/** The page an email's verification link opens: it confirms at once, no sign-in needed. */
export function VerifyEmailPage() {
  const { params } = useLocation();
  const token = params.get('token') ?? '';
  const [result, setResult] = useState<Verified | null>(null);
  // A signed-in browser sends its cookie, and so the CSRF header that GET /me gives: wait for it.
  const loading = useSession().state.status === 'loading';
  useEffect(() => {
    if (loading) return;
    let stopped = false;
    void verify(token).then((r) => {
      if (!stopped) setResult(r);
    });
    return () => {
      stopped = true;
    };
  }, [token, loading]);
  return (
    <section className="narrow">
      <PageHeading title="Verify your email address">Verify your email address</PageHeading>
      {result === null ? (
        <p className="muted">Checking the link…</p>
      ) : result.ok ? (
        <Notice tone="success">
          {result.address} is verified: notification email will reach it.
        </Notice>
      ) : (
        <div className="notice warning" role="alert">
          {result.message}
        </div>
      )}
      <p>
        <Link to="/settings/notifications">Notification settings</Link>
      </p>
    </section>
  );
}
