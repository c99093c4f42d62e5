// What each domain event tells whom: drafts of notifications, read through the recipients
// view in the subscriber's transaction. Who did it is never told about it.
import type { DomainEvent, Envelope, EventOf } from '../events/events.ts';
import { mentionedHandles } from '../shared/markdown.ts';
import { excerpt, type Draft } from './notifications.ts';
import type { Commune, RecipientsView } from './recipients.view.ts';

type Base = Pick<Draft, 'communeId' | 'communeHandle'>;
const base = (c: Commune): Base => ({ communeId: c.id, communeHandle: c.handle });
const others = (ids: string[], actor: string | null) => ids.filter((id) => id !== actor);

/** Transfers that never tell their payee: to the purse or a clearing account, demurrage, reversals. */
const paysMember = (payee: string, code: string) =>
  payee === 'member' && code !== 'demurrage' && code !== 'reversal';

/**
 * Whether an event may notify anyone, from the event alone (asked at publish time, so that
 * the others are never queued): a transfer only when it pays a member (see `payment`).
 */
export const mayNotify = (e: DomainEvent): boolean =>
  e.type !== 'transfer_posted' ||
  e.payee === undefined ||
  e.code === undefined ||
  paysMember(e.payee, e.code);

export async function draftsFor(view: RecipientsView, e: Envelope): Promise<Draft[]> {
  const ev = e.event;
  if (!('communeId' in ev)) return [];
  const commune = await view.commune(ev.communeId);
  if (!commune) return [];
  switch (ev.type) {
    case 'application_submitted':
      return application(view, commune, ev);
    case 'proposal_opened':
      return proposalOpened(view, commune, ev);
    case 'proposal_closed':
      return outcome(view, commune, ev);
    case 'transfer_posted':
      return payment(view, commune, ev);
    case 'thread_created':
      return threadCreated(view, commune, ev);
    case 'comment_posted':
      return commentPosted(view, commune, ev);
    case 'alliance_requested':
      return allianceRequest(view, commune, ev);
    default:
      return [];
  }
}

async function application(
  view: RecipientsView,
  commune: Commune,
  ev: EventOf<'application_submitted'>,
): Promise<Draft[]> {
  const a = await view.application(ev.applicationId);
  if (!a) return [];
  return others(await view.memberIds(commune.id), a.account_id).map((recipientId) => ({
    ...base(commune),
    recipientId,
    kind: 'application',
    subjectId: ev.applicationId,
    actorHandle: a.handle,
    summary: `@${a.handle} applied to join ${commune.name}`,
    link: `/communes/${commune.handle}`,
  }));
}

// An admission or an alliance asked of the commune opens its proposal without an author;
// the application or the request itself is what members are told about.
const TOLD_OTHERWISE = new Set(['admit_member', 'form_alliance']);

async function proposalOpened(
  view: RecipientsView,
  commune: Commune,
  ev: EventOf<'proposal_opened'>,
): Promise<Draft[]> {
  const p = await view.proposal(ev.proposalId);
  if (!p) return [];
  if (p.author_id === null && p.action_type !== null && TOLD_OTHERWISE.has(p.action_type))
    return [];
  const author = await view.handleOf(p.author_id);
  return others(await view.memberIds(commune.id), p.author_id).map((recipientId) => ({
    ...base(commune),
    recipientId,
    kind: 'proposal',
    subjectId: p.id,
    actorHandle: author,
    summary: excerpt(p.title),
    link: `/proposals/${p.id}`,
  }));
}

/** Reminders for a proposal still open: the members who have not voted. */
export async function closingSoon(view: RecipientsView, proposalId: string): Promise<Draft[]> {
  const p = await view.proposal(proposalId);
  if (!p || p.status !== 'open') return [];
  const commune = await view.commune(p.commune_id);
  if (!commune) return [];
  return (await view.notVoted(p.id, commune.id)).map((recipientId) => ({
    ...base(commune),
    recipientId,
    kind: 'closing_soon',
    subjectId: p.id,
    actorHandle: null,
    summary: excerpt(p.title),
    link: `/proposals/${p.id}`,
  }));
}

async function outcome(
  view: RecipientsView,
  commune: Commune,
  ev: EventOf<'proposal_closed'>,
): Promise<Draft[]> {
  const p = await view.proposal(ev.proposalId);
  if (!p) return [];
  const told = {
    ...base(commune),
    kind: 'outcome' as const,
    subjectId: p.id,
    actorHandle: null,
    summary: `${excerpt(p.title)}: ${ev.status}`,
    link: `/proposals/${p.id}`,
  };
  const drafts: Draft[] = (await view.memberIds(commune.id)).map((recipientId) => ({
    ...told,
    recipientId,
  }));
  // The applicant of an admission hears its outcome, as a member once admitted or not.
  if (p.action_type === 'admit_member' && p.subject_id !== null) {
    const applicant = p.subject_id;
    const i = drafts.findIndex((d) => d.recipientId === applicant);
    const own = { ...told, recipientId: applicant, personal: true };
    if (i >= 0) drafts[i] = own;
    else drafts.push(own);
  }
  return drafts;
}

async function payment(
  view: RecipientsView,
  commune: Commune,
  ev: EventOf<'transfer_posted'>,
): Promise<Draft[]> {
  const t = await view.transfer(ev.transferId, commune.id);
  if (!t || !paysMember(t.to_kind, t.code) || t.to_owner === null) return [];
  if (t.to_owner === t.created_by) return [];
  const amount = `${t.amount} ${t.currency}`.trim();
  if (t.item)
    return [
      {
        ...base(commune),
        recipientId: t.to_owner,
        kind: 'thanks',
        subjectId: t.item.id,
        actorHandle: t.from_handle,
        summary: `@${t.from_handle} thanked you for “${excerpt(t.item.title, 80)}” with ${amount}`,
        link: `/items/${t.item.id}`,
      },
    ];
  return [
    {
      ...base(commune),
      recipientId: t.to_owner,
      kind: 'payment',
      subjectId: ev.transferId,
      actorHandle: t.from_handle,
      summary: `${amount} from @${t.from_handle}`,
      link: `/communes/${commune.handle}/ledger`,
    },
  ];
}

/** People a text mentions who may read where it was written (members, or anyone if public). */
async function mentioned(
  view: RecipientsView,
  commune: Commune,
  text: string,
  author: string | null,
): Promise<string[]> {
  const people = await view.accountsByHandle(mentionedHandles(text));
  if (commune.visibility === 'public')
    return others(
      people.map((p) => p.id),
      author,
    );
  const members = new Set(await view.memberIds(commune.id));
  return others(
    people.map((p) => p.id).filter((id) => members.has(id)),
    author,
  );
}

async function threadCreated(
  view: RecipientsView,
  commune: Commune,
  ev: EventOf<'thread_created'>,
): Promise<Draft[]> {
  const t = await view.thread(ev.threadId);
  if (!t) return [];
  const author = await view.handleOf(t.author_id);
  return (await mentioned(view, commune, `${t.title}\n${t.body}`, t.author_id)).map(
    (recipientId) => ({
      ...base(commune),
      recipientId,
      kind: 'mention',
      subjectId: t.id,
      actorHandle: author,
      summary: excerpt(`${t.title}: ${t.body}`),
      link: `/threads/${t.id}`,
      threadId: t.id,
    }),
  );
}

async function commentPosted(
  view: RecipientsView,
  commune: Commune,
  ev: EventOf<'comment_posted'>,
): Promise<Draft[]> {
  const c = await view.comment(ev.commentId);
  if (!c) return [];
  const told = {
    ...base(commune),
    subjectId: c.id,
    actorHandle: c.author_handle,
    summary: excerpt(c.body),
    link: `/threads/${c.thread_id}`,
    threadId: c.thread_id,
  };
  const answered = c.parentAuthor ?? c.thread_author;
  const drafts: Draft[] = [];
  if (answered !== c.author_id) drafts.push({ ...told, recipientId: answered, kind: 'reply' });
  for (const id of await mentioned(view, commune, c.body, c.author_id))
    if (id !== answered) drafts.push({ ...told, recipientId: id, kind: 'mention' });
  return drafts;
}

async function allianceRequest(
  view: RecipientsView,
  commune: Commune,
  ev: EventOf<'alliance_requested'>,
): Promise<Draft[]> {
  const asked = await view.commune(ev.partnerId);
  if (!asked) return [];
  return (await view.memberIds(asked.id)).map((recipientId) => ({
    ...base(asked),
    recipientId,
    kind: 'alliance_request',
    subjectId: ev.allianceId,
    actorHandle: commune.handle,
    summary: `${commune.name} asks ${asked.name} to ally`,
    link: `/communes/${asked.handle}/decisions`,
  }));
}
