// Proposals: the request shapes, the stored record, how a closed tally becomes a status,
// and who may see a tally. Pure: no I/O.
import { z } from 'zod';
import { UUID_PATTERN } from '../shared/ids.ts';
import { storableText } from '../shared/text.ts';
import { actionSchema, type ActionResult, type StoredAction } from './actions/actions.ts';
import { MAX_OPTIONS } from './methods/common.ts';
import type { Tally } from './methods/index.ts';
import { METHODS, THRESHOLD_BASES, type MethodName, type ThresholdBasis } from './method-shapes.ts';

export const STATUSES = ['open', 'passed', 'rejected', 'expired'] as const;
export type ProposalStatus = (typeof STATUSES)[number];
export const HIDE_RESULTS = ['never', 'until_vote', 'until_close'] as const;
export type HideResults = (typeof HIDE_RESULTS)[number];

/** Proposals close within a year; a longer question is a charter, not a vote. */
export const MAX_OPEN_MS = 366 * 86_400_000;

const isoTime = z.iso.datetime({
  offset: true,
  message: 'must be an ISO-8601 date and time, e.g. 2030-01-31T18:00:00Z',
});
export const topicSchema = storableText().trim().toLowerCase().min(1).max(40);

/** What an author may change before the first vote (ADR 0023). */
export const proposalEditSchema = z
  .strictObject({
    title: storableText().trim().min(1).max(200).optional(),
    body: storableText().trim().max(20_000).optional(),
  })
  .refine((e) => e.title !== undefined || e.body !== undefined, {
    message: 'give a title or a body',
    path: ['title'],
  });
export type ProposalEdit = z.infer<typeof proposalEditSchema>;

export const proposalInputSchema = z.strictObject({
  title: storableText().trim().min(1).max(200),
  body: storableText().trim().max(20_000).default(''),
  /** Optional only when an action is given: governance names it then. */
  method: z
    .string()
    .max(40)
    .describe(`one of ${METHODS.join(', ')}`)
    .optional(),
  options: z.array(storableText().max(1000)).max(MAX_OPTIONS).optional(),
  /** Optional only when an action is given: its governance duration applies then. */
  closesAt: isoTime.optional(),
  opensAt: isoTime.optional(),
  quorum: z.number().optional(),
  threshold: z.number().optional(),
  /** What the threshold is a share of: votes cast, or all eligible members (method default). */
  thresholdBasis: z.enum(THRESHOLD_BASES).optional(),
  /** allocation only: points each voter hands out. */
  budget: z.number().optional(),
  anonymous: z.boolean().default(false),
  hideResults: z.enum(HIDE_RESULTS).default('never'),
  topic: topicSchema.nullable().optional(),
  action: actionSchema.optional(),
});
export type ProposalInput = z.infer<typeof proposalInputSchema>;

export const proposalListQuery = z.object({
  status: z.enum(STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().max(100).regex(UUID_PATTERN, 'not a cursor this list gave out').optional(),
});
export type ProposalListQuery = z.infer<typeof proposalListQuery>;

export const decideSchema = z.strictObject({ decision: z.enum(['passed', 'rejected']) });
export const outcomeSchema = z.strictObject({ outcome: storableText().trim().min(1).max(5000) });
export const delegationSchema = z.strictObject({
  to: z.string().max(30).nullable(),
  topic: topicSchema.nullable().optional(),
});

export type ProposalRecord = {
  id: string;
  communeId: string;
  communeHandle: string;
  authorId: string | null;
  authorHandle: string | null;
  title: string;
  body: string;
  method: MethodName;
  options: string[];
  quorum: number;
  threshold: number | null;
  thresholdBasis: ThresholdBasis | null;
  budget: number | null;
  anonymous: boolean;
  hideResults: HideResults;
  topic: string | null;
  opensAt: string;
  closesAt: string;
  status: ProposalStatus;
  action: StoredAction | null;
  /** Whom the action is about: the applicant, or the member to remove (who does not vote). */
  subjectId: string | null;
  actionExecuted: boolean;
  actionResult: ActionResult | null;
  authorDecision: 'passed' | 'rejected' | null;
  /** Frozen at close; null while open (then computed on every read). */
  tally: PresentedTally | null;
  outcome: string | null;
  outcomeBy: string | null;
  outcomeAt: string | null;
  createdAt: string;
  closedAt: string | null;
};

/**
 * A tally as shown: the same shape, but carried votes name handles (or nobody, on anonymous
 * proposals) instead of account ids. Kept a union so that clients can narrow on `method`.
 */
export type PresentedTally = Tally;

/** What the viewer did: their own ballot (never for anonymous ones) and where their vote goes otherwise. */
export type ViewerVote = {
  voted: boolean;
  vote: Record<string, unknown> | null;
  castAt: string | null;
  delegatedTo: string | null;
};

/**
 * A closed tally's status. Quorum missed is "expired" (nobody decided); an undecided
 * tally (advice waiting for its author) leaves the proposal open.
 */
export function statusOf(
  tally: Pick<Tally, 'outcome' | 'reason'>,
): Exclude<ProposalStatus, 'open'> | null {
  if (tally.outcome === 'passed') return 'passed';
  if (tally.outcome === 'rejected')
    return tally.reason === 'quorum_not_met' ? 'expired' : 'rejected';
  return null;
}

/** Voting has ended once the proposal closed or its closing time passed (advice may wait for its author). */
export const votingEnded = (p: Pick<ProposalRecord, 'status' | 'closesAt'>, now: string): boolean =>
  p.status !== 'open' || now >= p.closesAt;

/** hideResults: never; until_vote (until the viewer voted themselves); until_close. */
export function tallyVisible(
  p: Pick<ProposalRecord, 'status' | 'closesAt' | 'hideResults'>,
  now: string,
  viewerVoted: boolean,
): boolean {
  if (p.hideResults === 'never' || votingEnded(p, now)) return true;
  return p.hideResults === 'until_vote' && viewerVoted;
}
