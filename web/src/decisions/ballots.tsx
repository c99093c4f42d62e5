import { useState } from 'react';
import type { MethodName, Proposal, Vote } from '../api/decisions.ts';
import { optionLabel } from './labels.ts';
import { RankedBallot } from './ranked-ballot.tsx';
import { AllocationBallot, ScoreBallot, TimeBallot } from './points-ballots.tsx';
import { BallotStatus, ReasonField, reasonOf, withReason } from './ballot-parts.tsx';
import { useVote } from './use-vote.ts';

/** A position of any method that votes by position (consent, consensus, advice). */
type Position = {
  value: Extract<Vote, { position: unknown }>['position'];
  label: string;
  needsReason: boolean;
};

/** The positions of the methods that ask one question; objections and blocks need a reason. */
const POSITIONS: Record<'consent' | 'consensus' | 'advice', Position[]> = {
  consent: [
    { value: 'consent', label: 'Consent', needsReason: false },
    { value: 'object', label: 'Object', needsReason: true },
  ],
  consensus: [
    { value: 'agree', label: 'Agree', needsReason: false },
    { value: 'abstain', label: 'Abstain', needsReason: false },
    { value: 'disagree', label: 'Disagree', needsReason: false },
    { value: 'block', label: 'Block', needsReason: true },
  ],
  advice: [
    { value: 'support', label: 'Support', needsReason: true },
    { value: 'concern', label: 'Concern', needsReason: true },
  ],
};

const REASON_HINTS: Record<'consent' | 'consensus' | 'advice', string> = {
  consent: 'Required to object: say what would have to change for you to consent.',
  consensus: 'Required to block: a block stops the proposal, so say why.',
  advice: 'Required: your advice is what the author weighs before deciding.',
};

/** Consent, consensus and advice: one button per position, and a reason where one is needed. */
function PositionBallot({
  proposal,
  method,
  onVoted,
}: {
  proposal: Proposal;
  method: 'consent' | 'consensus' | 'advice';
  onVoted: () => void;
}) {
  const state = useVote(proposal.id, onVoted);
  const mine = proposal.viewerVote?.vote;
  const [reason, setReason] = useState(reasonOf(mine));
  const current = typeof mine?.position === 'string' ? mine.position : null;
  const positions = POSITIONS[method];

  function cast(p: Position) {
    if (p.needsReason && !reason.trim())
      return state.refuse('reason', `Give a reason to ${p.label.toLowerCase()}.`);
    // POSITIONS[method] lists only that method's positions, so this is that method's vote.
    const vote = { position: p.value } as Extract<Vote, { position: unknown }>;
    void state.send(withReason(vote, reason), `Your vote is in: ${p.label}.`);
  }

  return (
    <form
      ref={state.form}
      className="stack ballot"
      onSubmit={(e) => e.preventDefault()}
      noValidate
      aria-label="Your vote"
    >
      <BallotStatus state={state} />
      <ReasonField
        state={state}
        value={reason}
        onChange={setReason}
        label={method === 'advice' ? 'Your advice' : 'Reason'}
        hint={REASON_HINTS[method]}
      />
      <div className="actions position-buttons" role="group" aria-label="Your position">
        {positions.map((p) => (
          <button
            key={p.value}
            type="button"
            className={current === p.value ? undefined : 'secondary'}
            aria-pressed={current === p.value}
            disabled={state.busy}
            onClick={() => cast(p)}
          >
            {p.label}
          </button>
        ))}
      </div>
    </form>
  );
}

const capitalised = (s: string) => (s ? s[0]?.toUpperCase() + s.slice(1) : s);

/** Majority: one button per option (Yes and No for a motion). */
function MajorityBallot({ proposal, onVoted }: { proposal: Proposal; onVoted: () => void }) {
  const state = useVote(proposal.id, onVoted);
  const mine = proposal.viewerVote?.vote;
  const [reason, setReason] = useState(reasonOf(mine));
  const current = typeof mine?.choice === 'string' ? mine.choice : null;
  const motion =
    proposal.options.length === 2 &&
    proposal.options.every((o) => ['yes', 'no'].includes(o.toLowerCase()));
  return (
    <form
      ref={state.form}
      className="stack ballot"
      onSubmit={(e) => e.preventDefault()}
      noValidate
      aria-label="Your vote"
    >
      <BallotStatus state={state} />
      <ReasonField state={state} value={reason} onChange={setReason} />
      <div className="actions position-buttons" role="group" aria-label="Your choice">
        {proposal.options.map((o) => {
          const label = motion ? capitalised(o) : o;
          return (
            <button
              key={o}
              type="button"
              className={current === o ? undefined : 'secondary'}
              aria-pressed={current === o}
              disabled={state.busy}
              onClick={() =>
                void state.send(withReason({ choice: o }, reason), `Your vote is in: ${label}.`)
              }
            >
              {label}
            </button>
          );
        })}
      </div>
    </form>
  );
}

/** The ballot each method needs. */
export function Ballot({ proposal, onVoted }: { proposal: Proposal; onVoted: () => void }) {
  const m: MethodName = proposal.method;
  switch (m) {
    case 'consent':
    case 'consensus':
    case 'advice':
      return <PositionBallot proposal={proposal} method={m} onVoted={onVoted} />;
    case 'majority':
      return <MajorityBallot proposal={proposal} onVoted={onVoted} />;
    case 'ranked':
      return <RankedBallot proposal={proposal} onVoted={onVoted} />;
    case 'score':
      return <ScoreBallot proposal={proposal} onVoted={onVoted} />;
    case 'allocation':
      return <AllocationBallot proposal={proposal} onVoted={onVoted} />;
    case 'time':
      return <TimeBallot proposal={proposal} onVoted={onVoted} />;
  }
}

/** The viewer's own vote in words, e.g. "Object", "1. Pears, 2. Apples". */
export function describeVote(
  proposal: Proposal,
  vote: Record<string, unknown> | null | undefined,
): string | null {
  if (!vote) return null;
  const label = (o: unknown) => optionLabel(proposal.method, String(o));
  if (typeof vote.position === 'string') return capitalised(vote.position);
  if (typeof vote.choice === 'string') return capitalised(label(vote.choice));
  if (Array.isArray(vote.ranking))
    return vote.ranking.map((o, i) => `${i + 1}. ${label(o)}`).join(', ');
  if (Array.isArray(vote.available))
    return vote.available.length === 0
      ? 'None of the times work'
      : vote.available.map(label).join(', ');
  const record = (vote.scores ?? vote.allocation) as Record<string, unknown> | undefined;
  if (record && typeof record === 'object')
    return Object.entries(record)
      .map(([o, n]) => `${label(o)}: ${String(n)}`)
      .join(', ');
  return null;
}
