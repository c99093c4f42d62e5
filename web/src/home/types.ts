import type { Schema } from '../api/types.ts';

export type Notification = Schema<'Notification'>;
export type NotificationKind = Notification['kind'];
export type Inbox = Schema<'Inbox'>;
export type NotificationSettings = Schema<'NotificationSettings'>;
export type NotificationPage = { items: Notification[]; next: string | null; unread: number };
export type OwnApplications = {
  items: {
    id: string;
    commune: { handle: string; name: string };
    status: 'pending' | 'approved' | 'rejected';
    createdAt: string;
    decidedAt: string | null;
    proposal: {
      id: string;
      status: string;
      closesAt: string;
      votes: number;
      eligible: number;
    } | null;
  }[];
};

export const KIND_LABELS: Record<NotificationKind, string> = {
  application: 'Application to review',
  proposal: 'New proposal',
  closing_soon: 'Closing soon, not voted',
  outcome: 'Outcome',
  payment: 'Payment received',
  thanks: 'Thanks',
  mention: 'Mention',
  reply: 'Reply',
  alliance_request: 'Alliance request',
};
