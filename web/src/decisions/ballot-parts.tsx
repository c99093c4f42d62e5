import type { Vote } from '../api/decisions.ts';
import { FormError, TextArea } from '../ui/fields.tsx';
import { Notice } from '../ui/page.tsx';
import type { VoteState } from './use-vote.ts';

export const reasonOf = (v: Record<string, unknown> | null | undefined) =>
  typeof v?.reason === 'string' ? v.reason : '';
export const withReason = <V extends Vote>(vote: V, reason: string): V =>
  reason.trim() ? { ...vote, reason: reason.trim() } : vote;

/** An optional (or required) reason shared by every ballot. */
export function ReasonField({
  state,
  value,
  onChange,
  label = 'Reason (optional)',
  hint,
}: {
  state: VoteState;
  value: string;
  onChange: (v: string) => void;
  label?: string;
  hint?: string;
}) {
  return (
    <TextArea
      label={label}
      name="reason"
      rows={2}
      maxLength={2000}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      hint={hint}
      error={state.errors.field('reason')}
    />
  );
}

export function BallotStatus({ state }: { state: VoteState }) {
  return (
    <>
      <FormError message={state.errors.form} />
      {state.done ? <Notice tone="success">{state.done}</Notice> : null}
    </>
  );
}
