import { useRef, useState, type FormEvent } from 'react';
import { api, seg, type ApiError } from '../api/client.ts';
import type { SessionInfo } from '../api/types.ts';
import { useSession } from '../session.tsx';
import { FormError, TextField } from '../ui/fields.tsx';
import { useFormErrors } from '../ui/form-errors.ts';
import { Loading, PageHeading } from '../ui/page.tsx';
import { RequireSignIn } from '../ui/require-sign-in.tsx';
import { usePagedList } from '../ui/use-api.ts';
import { describeUserAgent } from './user-agent.ts';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : 'never');

export function SecurityPage() {
  return (
    <section className="narrow">
      <PageHeading title="Security">Security</PageHeading>
      <p className="lede">Where you are signed in, and your password.</p>
      <RequireSignIn what="see where you are signed in">
        <SecuritySettings />
      </RequireSignIn>
    </section>
  );
}

function SecuritySettings() {
  const list = usePagedList<SessionInfo>('/me/sessions');
  return (
    <>
      <Sessions list={list} />
      <ChangePassword onChanged={list.reload} />
    </>
  );
}

function Sessions({ list }: { list: ReturnType<typeof usePagedList<SessionInfo>> }) {
  const { refresh } = useSession();
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function end(path: string, current: boolean) {
    setBusy(true);
    const r = await api.del(path);
    setBusy(false);
    setProblem(r.ok ? null : r.error);
    // Ending this very session signs out: the whole app must learn it.
    if (current) await refresh();
    else list.reload();
  }

  // This browser first, then the others newest first, as the API lists them.
  const sessions = [...(list.data ?? [])].sort((a, b) => Number(b.current) - Number(a.current));
  return (
    <section aria-labelledby="sessions" className="panel">
      <h2 id="sessions">Where you are signed in</h2>
      {problem ? (
        <p className="form-error" role="alert">
          {problem.message}
        </p>
      ) : null}
      {list.loading && !list.data ? <Loading what="sessions" /> : null}
      {list.error ? (
        <p className="form-error" role="alert">
          Could not load your sessions: {list.error.message}
        </p>
      ) : null}
      <ul className="sessions">
        {sessions.map((s) => (
          <li key={s.id} data-session={s.id}>
            <span>
              <strong title={s.userAgent ?? undefined}>{describeUserAgent(s.userAgent)}</strong>
              {s.current ? <span className="badge">This browser</span> : null}
              <br />
              <span className="muted">
                Signed in {when(s.createdAt)} · last used {when(s.lastUsedAt)}
              </span>
            </span>
            <button
              type="button"
              className="secondary small"
              disabled={busy}
              onClick={() => void end(`/me/sessions/${seg(s.id)}`, s.current)}
            >
              Sign out
              <span className="visually-hidden">
                {s.current ? ' this browser' : ` the session from ${when(s.createdAt)}`}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {list.more ? (
        <button type="button" className="secondary" onClick={list.more}>
          Show more sessions
        </button>
      ) : null}
      {sessions.some((s) => !s.current) ? (
        <div className="actions">
          <button type="button" disabled={busy} onClick={() => void end('/me/sessions', false)}>
            Sign out everywhere else
          </button>
        </div>
      ) : null}
    </section>
  );
}

function ChangePassword({ onChanged }: { onChanged: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const errors = useFormErrors(['current', 'next']);
  const form = useRef<HTMLFormElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setDone(false);
    const r = await api.put('/me/password', { current, next });
    setBusy(false);
    if (!r.ok) return errors.show(r.error, form.current);
    errors.clear();
    setCurrent('');
    setNext('');
    setDone(true);
    onChanged();
  }

  return (
    <form
      ref={form}
      onSubmit={(e) => void submit(e)}
      noValidate
      className="stack panel"
      aria-labelledby="change-password"
    >
      <h2 id="change-password">Change your password</h2>
      <FormError message={errors.form} />
      {done ? <p role="status">Password changed. You were signed out everywhere else.</p> : null}
      <TextField
        label="Current password"
        name="current"
        type="password"
        autoComplete="current-password"
        required
        value={current}
        onChange={(e) => setCurrent(e.target.value)}
        error={errors.field('current')}
      />
      <TextField
        label="New password"
        name="next"
        type="password"
        autoComplete="new-password"
        required
        minLength={10}
        value={next}
        onChange={(e) => setNext(e.target.value)}
        hint="At least 10 characters."
        error={errors.field('next')}
      />
      <div className="actions">
        <button type="submit" disabled={busy}>
          Change password
        </button>
      </div>
    </form>
  );
}
