import { seg } from '../api/client.ts';
import type { Commune } from '../api/types.ts';
import { VisionText } from './charter-text.tsx';
import { Link, navigate, useLocation } from '../router.tsx';
import { useSession } from '../session.tsx';
import { ErrorNotice, Loading, Notice, PageHeading } from '../ui/page.tsx';
import { RequireSignIn } from '../ui/require-sign-in.tsx';
import { useApi } from '../ui/use-api.ts';
import { CommuneFacts, roleIn } from './commune-page.tsx';
import { JoinPanel } from './join-panel.tsx';
import { communePath } from './labels.ts';
import { PrivateInviteJoin } from './private-invite-join.tsx';

/** Where invite links land: /join/{commune}?code=… */
export function JoinPage({ handle }: { handle: string }) {
  const { params } = useLocation();
  const session = useSession();
  const code = params.get('code') ?? '';
  const loaded = useApi<Commune>(`/communes/${seg(handle)}`);
  const commune = loaded.data;
  const joined = () => {
    void session.refresh();
    navigate(communePath(handle));
  };

  return (
    <section className="narrow">
      <PageHeading title={`Join @${handle}`}>
        {commune ? `Join ${commune.name}` : `Join @${handle}`}
      </PageHeading>
      {loaded.loading ? <Loading what="the commune" /> : null}
      {loaded.error && !(loaded.error.status === 404 && code) ? (
        <ErrorNotice error={loaded.error} what={`the commune @${handle}`} />
      ) : null}
      {loaded.error?.status === 404 && code ? (
        <RequireSignIn what="use this invite">
          <PrivateInviteJoin handle={handle} code={code} onJoined={joined} />
        </RequireSignIn>
      ) : null}
      {commune ? (
        <>
          <CommuneFacts commune={commune} />
          <VisionText commune={commune} />
          {code ? (
            <p className="muted">
              {commune.joinPolicy === 'application'
                ? 'You were invited with a link: send your application, and the members decide on it together.'
                : 'You were invited with a link, so you can join directly.'}
            </p>
          ) : null}
          {roleIn(commune, session.me?.communes) ? (
            <Notice>
              You are already a member. <Link to={communePath(handle)}>Go to @{handle}</Link>.
            </Notice>
          ) : (
            <JoinPanel commune={commune} inviteCode={code} startOpen onJoined={joined} />
          )}
          <p>
            <Link to={communePath(handle)}>Read the whole charter</Link>
          </p>
        </>
      ) : null}
    </section>
  );
}
