import type { Deps } from '../deps.ts';
import { requireViewer, signedIn } from '../http/auth.ts';
import { declareRoute, jsonBody, jsonResponse, mount, openApiApp } from '../http/declare.ts';
import { respond, sendError } from '../http/errors.ts';
import { homeView } from './home.view.ts';
import {
  inboxSchema,
  markReadSchema,
  notificationPageSchema,
  notificationsQuery,
  ownApplicationsSchema,
  settingsSchema,
  unsubscribeQuery,
} from './notifications.schemas.ts';
import type { NotificationsService } from './notifications.service.ts';
import { settingsInputSchema } from './notifications.ts';

const tag = 'notifications';

export const inbox = declareRoute({
  method: 'get',
  path: '/me/inbox',
  operationId: 'inbox',
  summary:
    'What needs the caller: applications to decide, proposals not voted on (closing soonest first), unread mentions, replies and payments, alliance requests',
  tag,
  access: 'signed_in',
  responses: { 200: jsonResponse(inboxSchema, 'What needs the caller') },
});

export const ownApplications = declareRoute({
  method: 'get',
  path: '/me/applications',
  operationId: 'ownApplications',
  summary: "The caller's own applications, newest first, with their admission proposal's progress",
  tag,
  access: 'signed_in',
  responses: { 200: jsonResponse(ownApplicationsSchema, 'The applications') },
});

export const listNotifications = declareRoute({
  method: 'get',
  path: '/me/notifications',
  operationId: 'listNotifications',
  summary: "The caller's notifications, newest first; `unread=true` for the unread only",
  tag,
  access: 'signed_in',
  request: { query: notificationsQuery },
  responses: { 200: jsonResponse(notificationPageSchema, 'A page of notifications') },
  errors: ['notification_cursor_invalid'],
});

export const markRead = declareRoute({
  method: 'post',
  path: '/me/notifications/read',
  operationId: 'markNotificationsRead',
  summary: 'Mark the given notifications read, or all of them when no ids are given',
  tag,
  access: 'signed_in',
  request: { body: jsonBody(markReadSchema) },
  responses: { 204: { description: 'Marked read' } },
  errors: ['notification_not_found'],
});

export const getSettings = declareRoute({
  method: 'get',
  path: '/me/notification-settings',
  operationId: 'notificationSettings',
  summary: "The caller's notification settings",
  tag,
  access: 'signed_in',
  responses: { 200: jsonResponse(settingsSchema, 'The settings') },
});

export const putSettings = declareRoute({
  method: 'put',
  path: '/me/notification-settings',
  operationId: 'updateNotificationSettings',
  summary:
    'Change notification settings: a level (all, important, none) for everything and per commune, and email (immediate, daily, none) and its address',
  tag,
  access: 'signed_in',
  request: { body: jsonBody(settingsInputSchema) },
  responses: { 200: jsonResponse(settingsSchema, 'The settings') },
  errors: ['commune_unknown'],
});

export const unsubscribe = declareRoute({
  method: 'post',
  path: '/unsubscribe',
  operationId: 'unsubscribe',
  summary:
    'Stop notification email, from the link in an email (one-click, RFC 8058: any body is ignored)',
  tag,
  access: 'public',
  request: { query: unsubscribeQuery },
  responses: { 204: { description: 'No more email' } },
  errors: ['unsubscribe_link_unknown'],
});

export function notificationsRoutes(deps: Deps, notifications: NotificationsService) {
  const app = openApiApp();
  const home = homeView(deps.db);
  mount(app, inbox, [requireViewer], async (c) => {
    const me = signedIn(c).id;
    const unread = async (kinds: string[]) => {
      const r = await notifications.list(me, { limit: 20, unread: true, kinds });
      return r.ok ? r.value.items : [];
    };
    const counted = await notifications.list(me, { limit: 1, unread: true });
    return c.json({
      applications: await home.applicationsToDecide(me),
      proposals: await home.proposalsToVote(me),
      mentions: await unread(['mention']),
      replies: await unread(['reply']),
      payments: await unread(['payment', 'thanks']),
      alliances: await home.allianceRequests(me),
      unread: counted.ok ? counted.value.unread : 0,
    });
  });
  mount(app, ownApplications, [requireViewer], async (c) =>
    c.json({ items: await home.ownApplications(signedIn(c).id) }),
  );
  mount(app, listNotifications, [requireViewer], async (c) => {
    const q = c.req.valid('query');
    return respond(
      c,
      await notifications.list(signedIn(c).id, {
        limit: q.limit,
        ...(q.before !== undefined ? { before: q.before } : {}),
        unread: q.unread,
      }),
    );
  });
  mount(app, markRead, [requireViewer], async (c) => {
    const r = await notifications.markRead(signedIn(c).id, c.req.valid('json').ids);
    return r.ok ? c.body(null, 204) : sendError(c, r.error);
  });
  mount(app, getSettings, [requireViewer], async (c) =>
    c.json(await notifications.settingsOf(signedIn(c).id)),
  );
  mount(app, putSettings, [requireViewer], async (c) =>
    respond(c, await notifications.updateSettings(signedIn(c).id, c.req.valid('json'))),
  );
  mount(app, unsubscribe, [], async (c) => {
    const r = await notifications.unsubscribe(c.req.valid('query').token);
    return r.ok ? c.body(null, 204) : sendError(c, r.error);
  });
  return app;
}
