import type { ReactNode } from 'react';
import { CommunePage } from './communes/commune-page.tsx';
import { EditCharterPage } from './communes/edit-charter.tsx';
import { JoinPage } from './communes/join-page.tsx';
import { NewCommunePage } from './communes/new-commune.tsx';
import { DecisionsPage } from './decisions/decisions-page.tsx';
import { DelegationPage } from './decisions/delegation-page.tsx';
import { NewProposalPage } from './decisions/new-proposal.tsx';
import { ProposalPage } from './decisions/proposal-page.tsx';
import { NewThreadPage } from './discussions/new-thread.tsx';
import { BoardPage } from './inventory/board-page.tsx';
import { InventoryPage } from './inventory/inventory-page.tsx';
import { EditItemPage, NewItemPage } from './inventory/item-editor.tsx';
import { ItemPage } from './inventory/item-page.tsx';
import { ModerationPage } from './discussions/moderation-page.tsx';
import { ThreadPage } from './discussions/thread-page.tsx';
import { SiteHeader } from './layout.tsx';
import { HomePage } from './home/home-page.tsx';
import { NotificationsPage } from './home/notifications-page.tsx';
import { NotificationSettingsPage, UnsubscribePage } from './home/settings-page.tsx';
import { VerifyEmailPage } from './home/email-address.tsx';
import { AccountPage } from './ledger/account-page.tsx';
import { LedgerPage } from './ledger/ledger-page.tsx';
import { NetworkPage } from './network/network-page.tsx';
import { DiscoverPage } from './pages/discover.tsx';
import { FiltersPage } from './pages/filters.tsx';
import { SecurityPage } from './pages/security.tsx';
import { SearchPage } from './search/search-page.tsx';
import { NotFoundPage } from './pages/not-found.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { PersonPage } from './pages/person.tsx';
import { SignUpPage } from './pages/sign-up.tsx';
import { match, useLocation } from './router.tsx';
import { SessionProvider } from './session.tsx';

type Route = { pattern: string; render: (params: Record<string, string>) => ReactNode };

// The first match wins, so fixed paths come before parameterised ones.
const routes: Route[] = [
  { pattern: '/', render: () => <DiscoverPage /> },
  { pattern: '/sign-in', render: () => <SignInPage /> },
  { pattern: '/sign-up', render: () => <SignUpPage /> },
  { pattern: '/home', render: () => <HomePage /> },
  { pattern: '/notifications', render: () => <NotificationsPage /> },
  { pattern: '/settings/notifications', render: () => <NotificationSettingsPage /> },
  { pattern: '/unsubscribe', render: () => <UnsubscribePage /> },
  { pattern: '/verify-email', render: () => <VerifyEmailPage /> },
  { pattern: '/settings/filters', render: () => <FiltersPage /> },
  { pattern: '/settings/security', render: () => <SecurityPage /> },
  { pattern: '/new-commune', render: () => <NewCommunePage /> },
  {
    pattern: '/communes/:handle',
    render: (p) => <CommunePage key={p.handle} handle={p.handle ?? ''} />,
  },
  {
    pattern: '/communes/:handle/edit',
    render: (p) => <EditCharterPage key={p.handle} handle={p.handle ?? ''} />,
  },
  {
    pattern: '/communes/:handle/ledger',
    render: (p) => <LedgerPage key={p.handle} handle={p.handle ?? ''} />,
  },
  {
    pattern: '/communes/:handle/ledger/purse',
    render: (p) => <AccountPage key={p.handle} handle={p.handle ?? ''} owner="purse" />,
  },
  {
    pattern: '/communes/:handle/ledger/accounts/:owner',
    render: (p) => (
      <AccountPage key={`${p.handle}/${p.owner}`} handle={p.handle ?? ''} owner={p.owner ?? ''} />
    ),
  },
  {
    pattern: '/communes/:handle/decisions',
    render: (p) => <DecisionsPage key={p.handle} handle={p.handle ?? ''} />,
  },
  {
    pattern: '/communes/:handle/decisions/new',
    render: (p) => <NewProposalPage key={p.handle} handle={p.handle ?? ''} />,
  },
  {
    pattern: '/communes/:handle/delegation',
    render: (p) => <DelegationPage key={p.handle} handle={p.handle ?? ''} />,
  },
  { pattern: '/proposals/:id', render: (p) => <ProposalPage key={p.id} id={p.id ?? ''} /> },
  {
    pattern: '/communes/:handle/threads/new',
    render: (p) => <NewThreadPage key={p.handle} handle={p.handle ?? ''} />,
  },
  { pattern: '/threads/:id', render: (p) => <ThreadPage key={p.id} id={p.id ?? ''} /> },
  {
    pattern: '/communes/:handle/moderation',
    render: (p) => <ModerationPage key={p.handle} handle={p.handle ?? ''} />,
  },
  {
    pattern: '/communes/:handle/inventory',
    render: (p) => <InventoryPage key={p.handle} handle={p.handle ?? ''} />,
  },
  {
    pattern: '/communes/:handle/inventory/new',
    render: (p) => <NewItemPage key={p.handle} handle={p.handle ?? ''} />,
  },
  {
    pattern: '/communes/:handle/board',
    render: (p) => <BoardPage key={p.handle} handle={p.handle ?? ''} />,
  },
  { pattern: '/items/:id', render: (p) => <ItemPage key={p.id} id={p.id ?? ''} /> },
  { pattern: '/items/:id/edit', render: (p) => <EditItemPage key={p.id} id={p.id ?? ''} /> },
  { pattern: '/search', render: () => <SearchPage /> },
  {
    pattern: '/people/:handle',
    render: (p) => <PersonPage key={p.handle} handle={p.handle ?? ''} />,
  },
  { pattern: '/network', render: () => <NetworkPage /> },
  { pattern: '/join/:handle', render: (p) => <JoinPage key={p.handle} handle={p.handle ?? ''} /> },
];

function CurrentPage() {
  const { path } = useLocation();
  for (const route of routes) {
    const params = match(route.pattern, path);
    if (params) return <>{route.render(params)}</>;
  }
  return <NotFoundPage />;
}

export function App() {
  return (
    <SessionProvider>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <SiteHeader />
      <main id="main" tabIndex={-1}>
        <CurrentPage />
      </main>
      <footer className="site-footer">
        <p>
          Commune is self-hosted software for small intentional communities. No ads, no tracking, no
          popularity contests.
        </p>
      </footer>
    </SessionProvider>
  );
}
