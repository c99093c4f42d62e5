import { useRef, useState, type FormEvent } from 'react';
import type { ApiError } from '../api/client.ts';
import { decisionsApi, type Proposal } from '../api/decisions.ts';
import { notSettledWords } from './summary.ts';
import { useSession } from '../session.tsx';
import { FormError, TextArea } from '../ui/fields.tsx';
import { useFormErrors } from '../ui/form-errors.ts';

/**
 * Close voting now (author or steward), once the result is settled: until then it closes by
 * itself at its closing time. An advisory poll's author may end it early; a second press
 * confirms, so a slip closes nothing.
 */
export function CloseNow({ proposal, onChanged }: { proposal: Proposal; onChanged: () => void }) {
  const session = useSession();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const s = proposal.settlement;
  const early = s !== null && !s.settled;
  const mayEndEarly = proposal.action === null && proposal.author === session.me?.handle;
  async function close() {
    setBusy(true);
    const r = await decisionsApi.close(proposal.id);
    setBusy(false);
    setAsking(false);
    setProblem(r.ok ? null : r.error);
    onChanged();
  }
  if (early && !mayEndEarly)
    return (
      <div className="stack close-now">
        <p className="muted small not-settled">
          {notSettledWords(s)} It closes by itself once the result can no longer change, or at its
          closing time.
        </p>
        <div className="actions">
          <button type="button" className="secondary" disabled>
            Close voting now
          </button>
        </div>
      </div>
    );
  return (
    <div className="stack close-now">
      <FormError message={problem?.message} />
      {early ? <p className="muted small not-settled">{notSettledWords(s)}</p> : null}
      {asking ? (
        <>
          <p>
            {early
              ? 'End this poll early? Its results will say it was closed early.'
              : `Close voting now? The result is settled${proposal.action ? ', and a passed action runs at once' : ''}.`}
          </p>
          <div className="actions">
            <button type="button" className="danger" disabled={busy} onClick={() => void close()}>
              {busy ? 'Closing…' : 'Yes, close it now'}
            </button>
            <button type="button" className="secondary" onClick={() => setAsking(false)}>
              Keep it open
            </button>
          </div>
        </>
      ) : (
        <div className="actions">
          <button type="button" className="secondary" onClick={() => setAsking(true)}>
            {early ? 'End the poll early' : 'Close voting now'}
          </button>
        </div>
      )}
    </div>
  );
}

/** advice: the author, having heard the advice, decides. */
export function AuthorDecides({
  proposal,
  onChanged,
}: {
  proposal: Proposal;
  onChanged: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiError | null>(null);
  async function decide(decision: 'passed' | 'rejected') {
    setBusy(true);
    const r = await decisionsApi.decide(proposal.id, decision);
    setBusy(false);
    setProblem(r.ok ? null : r.error);
    onChanged();
  }
  const s = proposal.settlement;
  const waiting = proposal.action !== null && s !== null && !s.settled;
  return (
    <div className="stack">
      {waiting ? (
        <p className="muted small not-settled">
          {notSettledWords(s)} An action is decided once everyone has given advice, or at the
          closing time.
        </p>
      ) : null}
      <p>
        You asked for advice; the decision is yours. Deciding closes the proposal
        {proposal.action ? ' and, if you go ahead, runs its action' : ''}.
      </p>
      <FormError message={problem?.message} />
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => void decide('passed')}>
          Go ahead
        </button>
        <button
          type="button"
          className="secondary"
          disabled={busy}
          onClick={() => void decide('rejected')}
        >
          Do not go ahead
        </button>
      </div>
    </div>
  );
}

/** After the close, the author or a steward writes down what came of it. */
export function OutcomeForm({
  proposal,
  onChanged,
}: {
  proposal: Proposal;
  onChanged: () => void;
}) {
  const [text, setText] = useState(proposal.outcome ?? '');
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const errors = useFormErrors(['outcome']);
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!text.trim())
      return errors.show(
        { status: 0, code: 'invalid_input', message: 'Write what came of it.', field: 'outcome' },
        form.current,
      );
    setBusy(true);
    const r = await decisionsApi.recordOutcome(proposal.id, text.trim());
    setBusy(false);
    if (!r.ok) return errors.show(r.error, form.current);
    errors.clear();
    onChanged();
  }
  return (
    <form ref={form} className="stack" onSubmit={(e) => void submit(e)} noValidate>
      <FormError message={errors.form} />
      <TextArea
        label="What came of it"
        name="outcome"
        rows={3}
        maxLength={5000}
        value={text}
        onChange={(e) => setText(e.target.value)}
        hint="For the decision log: what was done, and by whom."
        error={errors.field('outcome')}
      />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : proposal.outcome ? 'Update the outcome' : 'Record the outcome'}
        </button>
      </div>
    </form>
  );
}
