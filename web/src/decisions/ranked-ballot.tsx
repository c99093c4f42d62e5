import { useEffect, useRef, useState, type DragEvent, type FormEvent } from 'react';
import type { Proposal } from '../api/decisions.ts';
import { BallotStatus, ReasonField, reasonOf, withReason } from './ballot-parts.tsx';
import { moved } from './reorder.ts';
import { useVote } from './use-vote.ts';

/** The viewer's earlier ranking, with options they left out after it; else the listed order. */
function startingOrder(p: Proposal): string[] {
  const earlier = p.viewerVote?.vote?.ranking;
  if (!Array.isArray(earlier)) return [...p.options];
  const ranked = earlier.filter((o): o is string => typeof o === 'string' && p.options.includes(o));
  return [...ranked, ...p.options.filter((o) => !ranked.includes(o))];
}

/**
 * Rank the options best first, by dragging them or with each row's move up and move down
 * buttons. Buttons at the ends are aria-disabled rather than disabled, so keyboard focus
 * stays on them after a move; each move is announced.
 */
export function RankedBallot({ proposal, onVoted }: { proposal: Proposal; onVoted: () => void }) {
  const state = useVote(proposal.id, onVoted);
  const [order, setOrder] = useState(() => startingOrder(proposal));
  const [reason, setReason] = useState(reasonOf(proposal.viewerVote?.vote));
  const [announce, setAnnounce] = useState('');
  const [dragging, setDragging] = useState<number | null>(null);
  const [over, setOver] = useState<number | null>(null);
  const list = useRef<HTMLOListElement>(null);
  // React may re-insert the moved row, which drops focus; the pressed button takes it back.
  const refocus = useRef<string | null>(null);
  useEffect(() => {
    const key = refocus.current;
    refocus.current = null;
    if (key)
      list.current
        ?.querySelector<HTMLButtonElement>(`button[data-move="${CSS.escape(key)}"]`)
        ?.focus();
  }, [order]);

  function move(from: number, to: number, focus?: 'up' | 'down') {
    if (to < 0 || to >= order.length || from === to) return;
    const option = order[from] ?? '';
    if (focus) refocus.current = `${focus}:${option}`;
    setOrder(moved(order, from, to));
    setAnnounce(`${option} is now number ${to + 1} of ${order.length}.`);
  }

  const dragProps = (i: number) => ({
    draggable: true,
    onDragStart: (e: DragEvent<HTMLLIElement>) => {
      e.dataTransfer.effectAllowed = 'move';
      e.dataTransfer.setData('text/plain', String(i));
      setDragging(i);
    },
    onDragOver: (e: DragEvent<HTMLLIElement>) => {
      if (dragging === null) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'move';
      if (over !== i) setOver(i);
    },
    onDrop: (e: DragEvent<HTMLLIElement>) => {
      e.preventDefault();
      const from = dragging ?? Number(e.dataTransfer.getData('text/plain'));
      setDragging(null);
      setOver(null);
      if (Number.isInteger(from)) move(from, i);
    },
    onDragEnd: () => {
      setDragging(null);
      setOver(null);
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    void state.send(
      withReason({ ranking: order }, reason),
      `Your ranking is in: ${order.map((o, i) => `${i + 1}. ${o}`).join(', ')}.`,
    );
  }

  return (
    <form
      ref={state.form}
      className="stack ballot"
      onSubmit={submit}
      noValidate
      aria-label="Your ranking"
    >
      <BallotStatus state={state} />
      <p className="hint" id="rank-help">
        Put your favourite first. Drag an option, or use its Move up and Move down buttons.
      </p>
      <ol ref={list} className="rank-list" aria-describedby="rank-help">
        {order.map((option, i) => {
          const cls = [
            'rank-item',
            dragging === i ? 'dragging' : '',
            over === i && dragging !== i ? 'drop-target' : '',
          ]
            .filter(Boolean)
            .join(' ');
          return (
            <li key={option} className={cls} {...dragProps(i)}>
              <span className="grip" aria-hidden="true">
                ⠿
              </span>
              <span className="rank-number" aria-hidden="true">
                {i + 1}
              </span>
              <span className="rank-option">{option}</span>
              <span className="rank-moves">
                <button
                  type="button"
                  className="secondary small"
                  aria-label={`Move ${option} up`}
                  data-move={`up:${option}`}
                  aria-disabled={i === 0}
                  onClick={() => move(i, i - 1, 'up')}
                >
                  <span aria-hidden="true">↑</span> Up
                </button>
                <button
                  type="button"
                  className="secondary small"
                  aria-label={`Move ${option} down`}
                  data-move={`down:${option}`}
                  aria-disabled={i === order.length - 1}
                  onClick={() => move(i, i + 1, 'down')}
                >
                  <span aria-hidden="true">↓</span> Down
                </button>
              </span>
            </li>
          );
        })}
      </ol>
      {state.errors.field('ranking') ? (
        <p className="field-error">{state.errors.field('ranking')}</p>
      ) : null}
      <p className="visually-hidden" role="status" aria-live="polite">
        {announce}
      </p>
      <ReasonField state={state} value={reason} onChange={setReason} />
      <div className="actions">
        <button type="submit" disabled={state.busy}>
          {state.busy ? 'Sending…' : 'Submit my ranking'}
        </button>
      </div>
    </form>
  );
}
