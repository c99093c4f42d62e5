import { useState } from 'react';
import { Link, navigate, useLocation } from './router.tsx';
import { useSession } from './session.tsx';
import { NotificationsLink } from './home/unread-link.tsx';

function NavLink({ to, children }: { to: string; children: string }) {
  const { path } = useLocation();
  return (
    <Link to={to} aria-current={path === to ? 'page' : undefined}>
      {children}
    </Link>
  );
}

export function SiteHeader() {
  const session = useSession();
  const [leaving, setLeaving] = useState(false);
  const me = session.me;

  async function signOut() {
    setLeaving(true);
    await session.signOut();
    setLeaving(false);
    navigate('/');
  }

  return (
    <header className="site-header">
      <div className="bar">
        <Link to="/" className="brand">
          <img src="/favicon.svg" alt="" width="28" height="28" />
          <span>Commune</span>
        </Link>
        <nav aria-label="Main">
          <ul>
            <li>
              <NavLink to="/">Discover</NavLink>
            </li>
            <li>
              <NavLink to="/search">Search</NavLink>
            </li>
            <li>
              <NavLink to="/network">Network</NavLink>
            </li>
            {me ? (
              <>
                <li>
                  <NavLink to="/home">What needs me</NavLink>
                </li>
                <li>
                  <NotificationsLink />
                </li>
                <li>
                  <NavLink to="/new-commune">New commune</NavLink>
                </li>
                <li>
                  <NavLink to="/settings/filters">Filters</NavLink>
                </li>
                <li>
                  <NavLink to="/settings/security">Security</NavLink>
                </li>
              </>
            ) : null}
          </ul>
        </nav>
        <div className="account">
          {session.state.status === 'loading' ? null : me ? (
            <>
              <span className="signed-in-as">
                Signed in as <strong>@{me.handle}</strong>
              </span>
              <button
                type="button"
                className="link-button"
                onClick={() => void signOut()}
                disabled={leaving}
              >
                Sign out
              </button>
            </>
          ) : (
            <>
              <NavLink to="/sign-in">Sign in</NavLink>
              <Link to="/sign-up" className="button small">
                Sign up
              </Link>
            </>
          )}
        </div>
      </div>
      {session.state.status === 'unreachable' ? (
        <p className="banner" role="alert">
          The server could not be reached ({session.state.message}). Some things may not load.
        </p>
      ) : null}
    </header>
  );
}
