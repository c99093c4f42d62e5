import { Link } from '../router.tsx';
import { ErrorNotice, Loading, PageHeading, When } from '../ui/page.tsx';
import { RequireSignIn } from '../ui/require-sign-in.tsx';
import { useApi } from '../ui/use-api.ts';
import { LiveBanner, useLive } from '../ui/use-live.tsx';
import { NotificationLine } from './notification-line.tsx';
import type { Inbox, Notification, OwnApplications } from './types.ts';

/** "What needs me": what asks something of the signed-in person, across their communes. */
export function HomePage() {
  return (
    <section className="narrow">
      <PageHeading title="What needs me">What needs me</PageHeading>
      <RequireSignIn what="see what needs you">
        <Needs />
      </RequireSignIn>
    </section>
  );
}

function Section({
  id,
  title,
  empty,
  children,
}: {
  id: string;
  title: string;
  empty: boolean;
  children: React.ReactNode;
}) {
  return (
    <section aria-labelledby={id} className="panel">
      <h2 id={id}>{title}</h2>
      {empty ? <p className="muted">Nothing here.</p> : children}
    </section>
  );
}

function NotificationSection({
  id,
  title,
  items,
}: {
  id: string;
  title: string;
  items: Notification[];
}) {
  return (
    <Section id={id} title={title} empty={items.length === 0}>
      <ul className="notification-list">
        {items.map((n) => (
          <NotificationLine key={n.id} n={n} />
        ))}
      </ul>
    </Section>
  );
}

function Needs() {
  const inbox = useApi<Inbox>('/me/inbox');
  const own = useApi<OwnApplications>('/me/applications');
  // What happens in the caller's communes and to their applications, as it happens (ADR 0028).
  const { reload: reloadInbox } = inbox;
  const { reload: reloadOwn } = own;
  const live = useLive('', () => {
    reloadInbox();
    reloadOwn();
  });
  if (inbox.loading && !inbox.data) return <Loading what="what needs you" />;
  if (inbox.error) return <ErrorNotice error={inbox.error} what="what needs you" />;
  const d = inbox.data;
  if (!d) return null;
  const pending = (own.data?.items ?? []).filter((a) => a.status === 'pending');
  const decided = (own.data?.items ?? []).filter(
    (a) => a.status !== 'pending' && a.decidedAt !== null && a.decidedAt > weekAgo(),
  );
  return (
    <div className="stack">
      <LiveBanner state={live} />
      <p className="lede">
        <Link to="/notifications">
          {d.unread === 0 ? 'No unread notifications' : `${d.unread} unread notifications`}
        </Link>
      </p>
      {pending.length > 0 ? (
        <Section id="my-applications" title="Your applications" empty={false}>
          <ul>
            {pending.map((a) => (
              <li key={a.id}>
                To <Link to={`/communes/${a.commune.handle}`}>{a.commune.name}</Link>, sent{' '}
                <When iso={a.createdAt} />: waiting for a decision.
                {a.proposal ? (
                  <>
                    {' '}
                    <Link to={`/proposals/${a.proposal.id}`}>The admission proposal</Link> has{' '}
                    {a.proposal.votes} of {a.proposal.eligible} votes and closes{' '}
                    <When iso={a.proposal.closesAt} />.
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      {decided.length > 0 ? (
        <Section id="my-decided" title="Decided applications" empty={false}>
          <ul>
            {decided.map((a) => (
              <li key={a.id}>
                Your application to{' '}
                <Link to={`/communes/${a.commune.handle}`}>{a.commune.name}</Link> was{' '}
                <strong>{a.status === 'approved' ? 'accepted' : 'turned down'}</strong>{' '}
                <When iso={a.decidedAt!} />.
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      <Section
        id="applications"
        title="Applications awaiting a decision"
        empty={d.applications.length === 0}
      >
        <ul>
          {d.applications.map((a) => (
            <li key={a.id}>
              <strong>@{a.applicant.handle}</strong> ({a.applicant.displayName}) applied to{' '}
              <Link to={`/communes/${a.commune}`}>{a.commune}</Link> <When iso={a.createdAt} />
              {a.proposal ? (
                <>
                  {' · '}
                  <Link to={`/proposals/${a.proposal.id}`}>vote on the admission</Link>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      </Section>
      <Section
        id="to-vote"
        title="Proposals you have not voted on"
        empty={d.proposals.length === 0}
      >
        <ul>
          {d.proposals.map((p) => (
            <li key={p.id}>
              <Link to={`/proposals/${p.id}`}>{p.title}</Link>{' '}
              <span className="muted">
                in {p.commune} · closes <When iso={p.closesAt} />
              </span>
            </li>
          ))}
        </ul>
      </Section>
      <NotificationSection id="mentions" title="Unread mentions" items={d.mentions} />
      <NotificationSection id="replies" title="Unread replies" items={d.replies} />
      <NotificationSection id="payments" title="Payments received" items={d.payments} />
      <Section id="alliances" title="Alliance requests" empty={d.alliances.length === 0}>
        <ul>
          {d.alliances.map((a) => (
            <li key={a.id}>
              <Link to={`/communes/${a.from.handle}`}>{a.from.name}</Link> asks{' '}
              <Link to={`/communes/${a.to}/decisions`}>{a.to}</Link> to ally (
              <When iso={a.requestedAt} />)
            </li>
          ))}
        </ul>
      </Section>
    </div>
  );
}

const weekAgo = () => new Date(Date.now() - 7 * 86_400_000).toISOString();
