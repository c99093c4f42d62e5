import { useRef, useState, type FormEvent } from 'react';
import { FormError, TextField } from '../ui/fields.tsx';
import { useFormErrors } from '../ui/form-errors.ts';
import { Notice, PageHeading } from '../ui/page.tsx';
import { Link, navigate, useLocation } from '../router.tsx';
import { useSession } from '../session.tsx';

/** Only same-site paths are followed after sign-in, so a crafted link cannot send people away. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function SignInPage() {
  const { params } = useLocation();
  const session = useSession();
  const [handle, setHandle] = useState(params.get('handle') ?? '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const errors = useFormErrors(['handle', 'password']);
  const form = useRef<HTMLFormElement>(null);
  const next = safeNext(params.get('next'));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    const r = await session.signIn(handle.trim(), password);
    setBusy(false);
    if (!r.ok) return errors.show(r.error, form.current);
    errors.clear();
    navigate(next);
  }

  return (
    <section className="narrow">
      <PageHeading title="Sign in">Sign in</PageHeading>
      {session.me ? (
        <Notice>
          You are signed in as @{session.me.handle}. <Link to="/">Go to Discover</Link>.
        </Notice>
      ) : null}
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
          error={errors.field('handle')}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors.field('password')}
        />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </div>
      </form>
      <p>
        New here?{' '}
        <Link to={`/sign-up${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`}>
          Create an account
        </Link>
        .
      </p>
    </section>
  );
}
