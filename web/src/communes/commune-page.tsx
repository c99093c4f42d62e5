import { useState } from 'react';
import { seg } from '../api/client.ts';
import type { Commune, Role } from '../api/types.ts';
import { ThreadList } from '../discussions/thread-list.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { ErrorNotice, Loading, Notice, PageHeading, When } from '../ui/page.tsx';
import { useApi } from '../ui/use-api.ts';
import { ApplicationsSection } from './applications-section.tsx';
import { TagList } from './commune-card.tsx';
import { AgreementList, VisionText } from './charter-text.tsx';
import { InviteSection } from './invite-section.tsx';
import { JoinPanel } from './join-panel.tsx';
import { LeaveSection } from './leave-section.tsx';
import {
  JOIN_POLICY_SHORT,
  VISIBILITY_LABELS,
  capacity,
  categoryLabel,
  communePath,
} from './labels.ts';
import { MembersSection } from './members-section.tsx';
import { OutsiderView } from './outsider-view.tsx';
import { AlliancesSection } from '../network/alliances-section.tsx';
import { AffinitySection } from '../network/affinity-section.tsx';

/** The viewer's role: the commune says so when it can; the session's list is the fallback. */
export function roleIn(
  commune: Commune,
  myCommunes: { handle: string; role: Role }[] | undefined,
): Role | null {
  if (commune.viewerRole !== undefined) return commune.viewerRole;
  return myCommunes?.find((c) => c.handle === commune.handle)?.role ?? null;
}

export function Charter({ commune }: { commune: Commune }) {
  return (
    <>
      <section aria-labelledby="vision" className="panel">
        <h2 id="vision">Vision</h2>
        <VisionText commune={commune} />
        {commune.tags.length > 0 ? <TagList tags={commune.tags} /> : null}
      </section>
      <section aria-labelledby="agreements" className="panel">
        <h2 id="agreements">Agreements</h2>
        {commune.agreements.length === 0 ? (
          <p className="muted">This commune has not written down any agreements yet.</p>
        ) : (
          <AgreementList commune={commune} />
        )}
      </section>
    </>
  );
}

export function CommuneFacts({ commune }: { commune: Commune }) {
  return (
    <p className="meta">
      <span className="handle">@{commune.handle}</span>
      <span>{categoryLabel(commune.category)}</span>
      <span>{JOIN_POLICY_SHORT[commune.joinPolicy] ?? commune.joinPolicy}</span>
      <span>{VISIBILITY_LABELS[commune.visibility] ?? commune.visibility}</span>
      <span>{capacity(commune)}</span>
      <span>
        Founded <When iso={commune.createdAt} />
      </span>
    </p>
  );
}

export function CommunePage({ handle }: { handle: string }) {
  const session = useSession();
  const loaded = useApi<Commune>(`/communes/${seg(handle)}`);
  const [welcome, setWelcome] = useState(false);
  const commune = loaded.data;

  if (loaded.loading && !commune) return <Loading what="the commune" />;
  if (loaded.error || !commune) {
    return (
      <section className="narrow">
        <PageHeading title="Commune">@{handle}</PageHeading>
        {loaded.error ? <ErrorNotice error={loaded.error} what={`the commune @${handle}`} /> : null}
      </section>
    );
  }

  const role = roleIn(commune, session.me?.communes);
  const changed = () => {
    loaded.reload();
    void session.refresh();
  };

  return (
    <div className="commune-layout">
      <div className="commune-main">
        <header className="page-header">
          <PageHeading title={commune.name}>{commune.name}</PageHeading>
          <CommuneFacts commune={commune} />
          <OutsiderView commune={commune} />
          {role ? (
            <p className="you-are">
              You are a {role} here.{' '}
              <Link to={`${communePath(handle)}/edit`}>Propose a charter change</Link>
            </p>
          ) : null}
          <p>
            <Link to={`${communePath(handle)}/ledger`}>Ledger and purse</Link>
            {' · '}
            <Link to={`${communePath(handle)}/decisions`}>Decisions</Link>
            {' · '}
            <Link to={`${communePath(handle)}/inventory`}>Inventory</Link>
            {' · '}
            <Link to={`${communePath(handle)}/board`}>Offers and needs</Link>
          </p>
        </header>
        <Charter commune={commune} />
        {welcome && role !== null ? (
          <Notice tone="success">Welcome to {commune.name}! You are now a member.</Notice>
        ) : null}
        {role === null ? (
          <JoinPanel
            commune={commune}
            onJoined={() => {
              setWelcome(true);
              changed();
            }}
          />
        ) : null}
        {/* Every member takes part in admitting people; stewards see the list even in an open commune. */}
        {role === 'steward' || (role !== null && commune.joinPolicy !== 'open') ? (
          <ApplicationsSection handle={handle} />
        ) : null}
        <AlliancesSection handle={handle} isMember={role !== null} />
        <AffinitySection handle={handle} />
        <ThreadList handle={handle} canPost={role !== null} />
      </div>
      <aside className="commune-side" aria-label="Members and invitations">
        {/* Keyed on the count so a join or a leave refreshes the list. */}
        <MembersSection
          key={commune.memberCount}
          handle={handle}
          memberCount={commune.memberCount}
          maxMembers={commune.maxMembers}
        />
        {role !== null ? <InviteSection handle={handle} joinPolicy={commune.joinPolicy} /> : null}
        {role !== null ? (
          <LeaveSection
            handle={handle}
            role={role}
            onLeft={() => {
              setWelcome(false);
              changed();
            }}
          />
        ) : null}
      </aside>
    </div>
  );
}
