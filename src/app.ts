import { communesRoutes } from './communes/communes.routes.ts';
import { communesService } from './communes/communes.service.ts';
import { decisionsRoutes, shortcutsRoutes } from './decisions/decisions.routes.ts';
import { decisionsService } from './decisions/decisions.service.ts';
import { registerDecisionsJobs } from './decisions/decisions.jobs.ts';
import { subscribeDecisions } from './decisions/decisions.subscribers.ts';
import type { Deps } from './deps.ts';
import { discussionsRoutes } from './discussions/discussions.routes.ts';
import { discussionsService } from './discussions/discussions.service.ts';
import { eventBus } from './events/events.service.ts';
import { editingRoutes } from './discussions/editing.routes.ts';
import { editingService } from './discussions/editing.service.ts';
import { moderationRoutes } from './discussions/moderation.routes.ts';
import { moderationService } from './discussions/moderation.service.ts';
import { proposalCommentsService } from './discussions/proposal-comments.service.ts';
import { filtersRoutes } from './discussions/filters.routes.ts';
import { filtersService } from './discussions/filters.service.ts';
import { resolveViewer } from './http/auth.ts';
import { sendError } from './http/errors.ts';
import { createMetrics } from './http/metrics.ts';
import { declaredBodyLimits, openApiApp } from './http/declare.ts';
import { openApiDocument } from './http/openapi.ts';
import { serviceRoutes } from './http/service.routes.ts';
import { limitBody, securityHeaders } from './http/security.ts';
import { guardUrl } from './http/url-guard.ts';
import { mountWebApp } from './http/web.ts';
import { identityRoutes } from './identity/identity.routes.ts';
import { identityService } from './identity/identity.service.ts';
import { fileStore } from './inventory/file-store.ts';
import { filesRoutes } from './inventory/files.routes.ts';
import { filesService } from './inventory/files.service.ts';
import { registerFilesJobs } from './inventory/files.jobs.ts';
import { subscribeFiles } from './inventory/files.subscribers.ts';
import { exchangeRoutes } from './inventory/exchange.routes.ts';
import { exchangeService } from './inventory/exchange.service.ts';
import { forksRoutes } from './inventory/forks.routes.ts';
import { forksService } from './inventory/forks.service.ts';
import { itemAccess } from './inventory/items.access.ts';
import { itemsRoutes } from './inventory/items.routes.ts';
import { itemsService } from './inventory/items.service.ts';
import { versionsRoutes } from './inventory/versions.routes.ts';
import { versionsService } from './inventory/versions.service.ts';
import { peopleRoutes } from './identity/people.routes.ts';
import { sessionsRoutes } from './identity/sessions.routes.ts';
import { ledgerRoutes } from './ledger/ledger.routes.ts';
import { jobQueue } from './jobs/runner.ts';
import { jobRegistry } from './jobs/registry.ts';
import { registerLedgerJobs } from './ledger/ledger.jobs.ts';
import { ledgerService } from './ledger/ledger.service.ts';
import { subscribeLedger } from './ledger/ledger.subscribers.ts';
import { alliancesRoutes } from './network/alliances.routes.ts';
import { alliancesService } from './network/alliances.service.ts';
import { networkMapRoutes } from './network/map.routes.ts';
import { networkMapView } from './network/map.view.ts';
import { affinityRoutes } from './network/affinity.routes.ts';
import { affinityService } from './network/affinity.service.ts';
import { subscribeAffinity, subscribeNetwork } from './network/network.subscribers.ts';
import { searchRoutes } from './search/search.routes.ts';
import { emailService } from './notifications/email.service.ts';
import { smtpMailer } from './notifications/mailer.ts';
import { notificationsService } from './notifications/notifications.service.ts';
import { subscribeNotifications } from './notifications/notifications.subscribers.ts';
import { notificationsRoutes } from './notifications/notifications.routes.ts';
import { verificationRoutes } from './notifications/verification.routes.ts';
import { verificationService } from './notifications/verification.service.ts';
import { searchService } from './search/search.service.ts';
import { liveRoutes } from './live/live.routes.ts';
import { liveService } from './live/live.service.ts';
import { subscribeLive } from './live/live.subscribers.ts';

/**
 * Every context's services, built once; the app and the background jobs share them. Contexts
 * meet through the event bus (their subscribers) and the job registry (their jobs), both
 * filled in here; the job runner of `serve` is jobRunner(deps, contexts.jobs).
 */
export function createContexts(deps: Deps) {
  const jobs = jobRegistry();
  const events = eventBus(deps, jobs);
  const identity = identityService(deps);
  const ledger = ledgerService(deps, events);
  const filters = filtersService(deps);
  const affinity = affinityService(deps);
  // The communes list leaves out what the caller filtered; it asks the filters service, not its
  // table. Sorted by affinity, it asks the network context.
  const communes = communesService(deps, events, {
    hiddenCommunes: async (viewerId) => (await filters.setFor(viewerId)).communes,
    nearest: affinity.nearest,
  });
  const discussions = discussionsService(deps, communes, undefined, events);
  // Editing, moderation and proposals' discussions (ADR 0023).
  const posts = {
    editing: editingService(deps, communes, events),
    moderation: moderationService(deps, events),
    proposalComments: proposalCommentsService(deps, discussions),
  };
  const alliances = alliancesService(deps, { communes, events });
  const decisions = decisionsService(deps, {
    communes,
    ledger,
    jobs: jobQueue(deps),
    events,
    network: alliances,
  });
  // Who sees an item: one rule; `allies` items reach the members of active allies.
  const itemRule = itemAccess(deps, alliances.alliedWith);
  const items = itemsService(deps, itemRule, events);
  const inventory = {
    access: itemRule,
    items,
    versions: versionsService(deps, itemRule),
    forks: forksService(deps, itemRule, items, communes),
    files: filesService(deps, itemRule, fileStore(deps.config.files.dir)),
    exchange: exchangeService(deps, itemRule, { ledger, discussions, communes }),
  };
  // In-transaction subscribers run in this order: the ledger may refuse a departure first.
  subscribeLedger(events, ledger);
  subscribeDecisions(deps, events);
  subscribeNetwork(events, alliances);
  registerLedgerJobs(jobs, deps, ledger);
  registerDecisionsJobs(jobs, decisions.closing);
  subscribeFiles(events, inventory.files);
  registerFilesJobs(jobs, inventory.files);
  const mailer = deps.config.smtp ? smtpMailer(deps.config.smtp) : null;
  const verification = verificationService(deps, mailer);
  // Live updates read committed events (and new notifications) back from the database (ADR
  // 0028, 0034).
  const live = liveService(deps, communes, deps.config.live);
  const notifications = notificationsService(
    deps,
    verification,
    deps.dialect === 'sqlite' ? live.announceNotifications : undefined,
  );
  const email = emailService(deps, mailer);
  subscribeNotifications(deps, events, jobs, notifications, email);
  subscribeAffinity(events, affinity);
  const search = searchService(deps);
  subscribeLive(deps, events, live);
  return {
    identity,
    ledger,
    communes,
    discussions,
    posts,
    decisions,
    inventory,
    search,
    network: { alliances, affinity, map: networkMapView(deps.db, deps.dialect) },
    notifications,
    verification,
    live,
    events,
    jobs,
  };
}
export type Contexts = ReturnType<typeof createContexts>;

/** Composes every context into one Hono app. Nothing here runs at import time. */
export function createApp(deps: Deps, contexts: Contexts = createContexts(deps)) {
  const {
    identity,
    ledger,
    communes,
    discussions,
    posts,
    decisions,
    inventory,
    search,
    network,
    notifications,
    verification,
    live,
  } = contexts;
  const metrics = createMetrics();
  // Built on first request, once every route has registered its declaration.
  let openapi: ReturnType<typeof openApiDocument> | undefined;

  const app = openApiApp();
  app.use(metrics.middleware);
  if (deps.checkContract)
    app.use(async function checkContracts(c, next) {
      c.set('checkContract', true);
      await next();
    });
  app.use(securityHeaders());
  app.use(guardUrl());
  app.onError((e, c) => {
    deps.logger.error({ err: e, path: c.req.path }, 'unhandled error');
    return c.json(
      { error: { code: 'internal_error', message: 'Something went wrong on our side' } },
      500,
    );
  });

  serviceRoutes(
    app,
    metrics.registry,
    () => (openapi ??= openApiDocument(app, deps.config.publicUrl)),
  );

  const api = openApiApp();
  // Each route's body allowance is the one its declaration gives (the ledger's batch: 8 MB).
  api.use(limitBody(declaredBodyLimits(api, '/api/v1')));
  api.use(resolveViewer(identity));
  api.route('/', identityRoutes(deps, identity, communes.membershipsOf));
  api.route('/', sessionsRoutes(identity));
  api.route('/', peopleRoutes(deps));
  // Before communes and ledger: their steward shortcuts now answer decision_required.
  api.route('/', shortcutsRoutes(decisions));
  api.route('/', communesRoutes(deps, communes));
  api.route('/', ledgerRoutes(ledger, communes));
  api.route('/', discussionsRoutes(discussions, communes, posts.editing.unread));
  api.route(
    '/',
    editingRoutes(discussions, posts.editing, posts.proposalComments, decisions.proposals),
  );
  api.route('/', moderationRoutes(discussions, posts.editing, posts.moderation, communes));
  api.route('/', filtersRoutes(discussions));
  api.route('/', decisionsRoutes(decisions));
  api.route('/', itemsRoutes(inventory.items, communes));
  api.route('/', versionsRoutes(inventory.versions));
  api.route('/', forksRoutes(inventory.forks));
  api.route('/', filesRoutes(inventory.files, deps.config.files));
  api.route('/', exchangeRoutes(inventory.exchange));
  api.route('/', searchRoutes(search));
  api.route('/', alliancesRoutes(network.alliances, communes));
  api.route('/', networkMapRoutes(network.map));
  api.route('/', notificationsRoutes(deps, notifications));
  api.route('/', verificationRoutes(verification));
  api.route('/', affinityRoutes(network.affinity, communes));
  api.route('/', liveRoutes(live));
  api.all('*', (c) =>
    sendError(c, {
      type: 'not_found',
      code: 'route_not_found',
      message: `No route ${c.req.method} ${c.req.path}`,
    }),
  );
  app.route('/api/v1', api);
  app.all('/api/*', (c) =>
    sendError(c, {
      type: 'not_found',
      code: 'route_not_found',
      message: `No route ${c.req.method} ${c.req.path}`,
    }),
  );

  if (deps.webRoot) mountWebApp(app, deps.webRoot);
  return app;
}
export type App = ReturnType<typeof createApp>;
