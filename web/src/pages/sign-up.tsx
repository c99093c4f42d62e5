import { useRef, useState, type FormEvent } from 'react';
import { api } from '../api/client.ts';
import type { Account } from '../api/types.ts';
import { FormError, TextField } from '../ui/fields.tsx';
import { useFormErrors } from '../ui/form-errors.ts';
import { PageHeading } from '../ui/page.tsx';
import { Link, navigate, useLocation } from '../router.tsx';
import { useSession } from '../session.tsx';
import { safeNext } from './sign-in.tsx';

export function SignUpPage() {
  const { params } = useLocation();
  const session = useSession();
  const [handle, setHandle] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const errors = useFormErrors(['handle', 'displayName', 'password']);
  const form = useRef<HTMLFormElement>(null);
  const next = safeNext(params.get('next'));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    const body = {
      handle: handle.trim(),
      password,
      ...(displayName.trim() ? { displayName: displayName.trim() } : {}),
    };
    const made = await api.post<Account>('/accounts', body);
    if (!made.ok) {
      setBusy(false);
      return errors.show(made.error, form.current);
    }
    const signedIn = await session.signIn(body.handle, password);
    setBusy(false);
    if (!signedIn.ok) return navigate(`/sign-in?handle=${encodeURIComponent(body.handle)}`);
    navigate(next);
  }

  return (
    <section className="narrow">
      <PageHeading title="Create an account">Create an account</PageHeading>
      <p className="muted">
        One account lets you join communes, take part in discussions and start a commune of your
        own.
      </p>
      <form ref={form} onSubmit={(e) => void submit(e)} noValidate className="stack">
        <FormError message={errors.form} />
        <TextField
          label="Handle"
          name="handle"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          value={handle}
          onChange={(e) => setHandle(e.target.value)}
          hint="2–30 characters: lowercase letters, digits or _. People and communes share these names."
          error={errors.field('handle')}
        />
        <TextField
          label="Display name (optional)"
          name="displayName"
          autoComplete="name"
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
          error={errors.field('displayName')}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          hint="At least 10 characters. A few unrelated words make a good one."
          error={errors.field('password')}
        />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Creating…' : 'Create account'}
          </button>
        </div>
      </form>
      <p>
        Already have an account? <Link to="/sign-in">Sign in</Link>.
      </p>
    </section>
  );
}
