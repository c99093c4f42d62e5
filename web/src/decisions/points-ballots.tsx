import { useId, useState, type FormEvent } from 'react';
import { ALLOCATION_BUDGET, MAX_SCORE, type Proposal } from '../api/decisions.ts';
import { CheckboxField } from '../ui/fields.tsx';
import { BallotStatus, ReasonField, reasonOf, withReason } from './ballot-parts.tsx';
import { plural, slotLabel } from './labels.ts';
import { useVote } from './use-vote.ts';

const SCORE_WORDS = ['no support', 'weak', 'some', 'good', 'strong', 'full support'] as const;
const scoreText = (n: number) => `${n} of ${MAX_SCORE}: ${SCORE_WORDS[n] ?? ''}`;

/** The viewer's earlier numbers per option, or zeros. */
function earlier(p: Proposal, key: 'scores' | 'allocation'): Record<string, number> {
  const before = p.viewerVote?.vote?.[key];
  const record = before && typeof before === 'object' ? (before as Record<string, unknown>) : {};
  return Object.fromEntries(
    p.options.map((o) => [o, typeof record[o] === 'number' ? record[o] : 0]),
  );
}

function ScoreRow({
  option,
  value,
  onChange,
}: {
  option: string;
  value: number;
  onChange: (n: number) => void;
}) {
  const id = useId();
  return (
    <div className="score-row">
      <label htmlFor={id}>{option}</label>
      <div className="score-input">
        <input
          id={id}
          type="range"
          name="scores"
          min={0}
          max={MAX_SCORE}
          step={1}
          value={value}
          aria-valuetext={scoreText(value)}
          onChange={(e) => onChange(Number(e.target.value))}
        />
        <output htmlFor={id} className="score-value">
          {value}
        </output>
      </div>
    </div>
  );
}

/** Score: a 0–5 slider for every option. */
export function ScoreBallot({ proposal, onVoted }: { proposal: Proposal; onVoted: () => void }) {
  const state = useVote(proposal.id, onVoted);
  const [scores, setScores] = useState(() => earlier(proposal, 'scores'));
  const [reason, setReason] = useState(reasonOf(proposal.viewerVote?.vote));
  function submit(e: FormEvent) {
    e.preventDefault();
    void state.send(withReason({ scores }, reason), 'Your scores are in.');
  }
  return (
    <form
      ref={state.form}
      className="stack ballot"
      onSubmit={submit}
      noValidate
      aria-label="Your scores"
    >
      <BallotStatus state={state} />
      <fieldset>
        <legend>Score each option</legend>
        <p className="hint score-scale" aria-hidden="true">
          <span>0 no support</span>
          <span>5 full support</span>
        </p>
        {proposal.options.map((o) => (
          <ScoreRow
            key={o}
            option={o}
            value={scores[o] ?? 0}
            onChange={(n) => setScores({ ...scores, [o]: n })}
          />
        ))}
        {state.errors.field('scores') ? (
          <p className="field-error">{state.errors.field('scores')}</p>
        ) : null}
      </fieldset>
      <ReasonField state={state} value={reason} onChange={setReason} />
      <div className="actions">
        <button type="submit" disabled={state.busy}>
          {state.busy ? 'Sending…' : 'Submit my scores'}
        </button>
      </div>
    </form>
  );
}

function PointsRow({
  option,
  value,
  budget,
  onChange,
}: {
  option: string;
  value: number;
  budget: number;
  onChange: (n: number) => void;
}) {
  const id = useId();
  return (
    <div className="points-row">
      <label htmlFor={id}>{option}</label>
      <div className="points-input">
        <button
          type="button"
          className="secondary small"
          aria-label={`One point less for ${option}`}
          onClick={() => onChange(Math.max(0, value - 1))}
        >
          −
        </button>
        <input
          id={id}
          name="allocation"
          type="number"
          inputMode="numeric"
          min={0}
          max={budget}
          step={1}
          value={value}
          onChange={(e) => onChange(Math.max(0, Math.floor(Number(e.target.value) || 0)))}
        />
        <button
          type="button"
          className="secondary small"
          aria-label={`One point more for ${option}`}
          onClick={() => onChange(value + 1)}
        >
          +
        </button>
      </div>
    </div>
  );
}

/** Allocation: hand out a budget of points, with a live count of what is left. */
export function AllocationBallot({
  proposal,
  onVoted,
}: {
  proposal: Proposal;
  onVoted: () => void;
}) {
  const state = useVote(proposal.id, onVoted);
  const budget = proposal.budget ?? ALLOCATION_BUDGET;
  const [points, setPoints] = useState(() => earlier(proposal, 'allocation'));
  const [reason, setReason] = useState(reasonOf(proposal.viewerVote?.vote));
  const spent = Object.values(points).reduce((a, b) => a + b, 0);
  const left = budget - spent;
  function submit(e: FormEvent) {
    e.preventDefault();
    if (left < 0)
      return state.refuse(
        'allocation',
        `That is ${plural(-left, 'point')} over the budget of ${budget}. Take some back first.`,
      );
    void state.send(
      withReason({ allocation: points }, reason),
      `Your ${plural(spent, 'point')} are in.`,
    );
  }
  return (
    <form
      ref={state.form}
      className="stack ballot"
      onSubmit={submit}
      noValidate
      aria-label="Your points"
    >
      <BallotStatus state={state} />
      <fieldset>
        <legend>Share out {plural(budget, 'point')}</legend>
        <p className={left < 0 ? 'remaining over' : 'remaining'} role="status" aria-live="polite">
          {left >= 0
            ? `${plural(left, 'point')} left of ${budget}`
            : `${plural(-left, 'point')} over the budget of ${budget}`}
        </p>
        {proposal.options.map((o) => (
          <PointsRow
            key={o}
            option={o}
            value={points[o] ?? 0}
            budget={budget}
            onChange={(n) => setPoints({ ...points, [o]: n })}
          />
        ))}
        {state.errors.field('allocation') ? (
          <p className="field-error">{state.errors.field('allocation')}</p>
        ) : null}
      </fieldset>
      <ReasonField state={state} value={reason} onChange={setReason} />
      <div className="actions">
        <button type="submit" disabled={state.busy}>
          {state.busy ? 'Sending…' : 'Submit my points'}
        </button>
      </div>
    </form>
  );
}

/** Time: tick every slot that works; none is a valid answer too. */
export function TimeBallot({ proposal, onVoted }: { proposal: Proposal; onVoted: () => void }) {
  const state = useVote(proposal.id, onVoted);
  const before = proposal.viewerVote?.vote?.available;
  const [available, setAvailable] = useState<string[]>(() =>
    Array.isArray(before) ? before.filter((o): o is string => typeof o === 'string') : [],
  );
  const [reason, setReason] = useState(reasonOf(proposal.viewerVote?.vote));
  const toggle = (o: string, on: boolean) =>
    setAvailable(on ? [...available, o] : available.filter((x) => x !== o));
  function submit(e: FormEvent) {
    e.preventDefault();
    const inOrder = proposal.options.filter((o) => available.includes(o));
    void state.send(
      withReason({ available: inOrder }, reason),
      inOrder.length === 0
        ? 'Saved: none of these times work for you.'
        : `Saved: ${plural(inOrder.length, 'time')} that work for you.`,
    );
  }
  return (
    <form
      ref={state.form}
      className="stack ballot"
      onSubmit={submit}
      noValidate
      aria-label="Your availability"
    >
      <BallotStatus state={state} />
      <fieldset>
        <legend>Which times work for you?</legend>
        {proposal.options.map((o) => (
          <CheckboxField
            key={o}
            label={slotLabel(o)}
            name="available"
            checked={available.includes(o)}
            onChange={(e) => toggle(o, e.target.checked)}
          />
        ))}
        {state.errors.field('available') ? (
          <p className="field-error">{state.errors.field('available')}</p>
        ) : null}
      </fieldset>
      <ReasonField state={state} value={reason} onChange={setReason} />
      <div className="actions">
        <button type="submit" disabled={state.busy}>
          {state.busy ? 'Sending…' : 'Save my availability'}
        </button>
      </div>
    </form>
  );
}
