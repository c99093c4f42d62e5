import { useCallback, useRef, useState } from 'react';
import { decisionsApi, type Vote } from '../api/decisions.ts';
import { useFormErrors } from '../ui/form-errors.ts';

/** Every field a vote body may have; the API names them in its 400s. */
export const VOTE_FIELDS = [
  'reason',
  'position',
  'choice',
  'ranking',
  'scores',
  'allocation',
  'available',
] as const;

/** Sends a vote; field errors land beside the field, the rest at the top of the ballot. */
export function useVote(proposalId: string, onVoted: () => void) {
  const errors = useFormErrors(VOTE_FIELDS);
  const form = useRef<HTMLFormElement>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const send = useCallback(
    async (vote: Vote, said: string) => {
      setDone(null);
      setBusy(true);
      const r = await decisionsApi.vote(proposalId, vote);
      setBusy(false);
      if (!r.ok) return errors.show(r.error, form.current);
      errors.clear();
      setDone(said);
      onVoted();
    },
    [proposalId, onVoted, errors],
  );

  /** A refusal made here, before anything is sent. */
  const refuse = useCallback(
    (field: (typeof VOTE_FIELDS)[number], message: string) =>
      errors.show({ status: 0, code: 'invalid_input', message, field }, form.current),
    [errors],
  );

  return { form, send, refuse, busy, done, errors };
}
export type VoteState = ReturnType<typeof useVote>;
