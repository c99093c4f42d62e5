import type { ReactNode } from 'react';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { Loading } from './page.tsx';

/** Shows its children only to a signed-in person; others get a way to sign in and come back. */
export function RequireSignIn({ what, children }: { what: string; children: ReactNode }) {
  const session = useSession();
  if (session.state.status === 'loading') return <Loading what="your session" />;
  if (session.me) return <>{children}</>;
  const next = encodeURIComponent(window.location.pathname + window.location.search);
  return (
    <div className="notice" role="status">
      <Link to={`/sign-in?next=${next}`}>Sign in</Link> or{' '}
      <Link to={`/sign-up?next=${next}`}>create an account</Link> to {what}.
    </div>
  );
}
