import { useRef, useState, type FormEvent } from 'react';
import type { ApiError } from '../api/client.ts';
import type { Proposal } from '../api/decisions.ts';
import type { Currency } from '../api/ledger.ts';
import { networkApi } from '../api/network.ts';
import { METHOD_LABELS, proposalPath } from '../decisions/labels.ts';
import { parseAmount, pluralUnit } from '../ledger/money.ts';
import { Link } from '../router.tsx';
import { FormError, TextArea, TextField } from '../ui/fields.tsx';
import { useFormErrors } from '../ui/form-errors.ts';
import { Notice, When } from '../ui/page.tsx';

const FIELDS = ['commune', 'tradeLimit', 'rate', 'body'] as const;

/** Refusals about the partner, said with its handle; the others are the server's own words. */
function inWords(e: ApiError, partner: string): string {
  switch (e.code) {
    case 'unknown_commune':
      return `There is no commune @${partner}, or it is private and we cannot see it.`;
    case 'already_allied':
      return `We are allied with @${partner} already.`;
    case 'alliance_already_requested':
      return `We have asked @${partner} already; it has yet to decide on our terms.`;
    default:
      return e.message;
  }
}

/** The API names the action's fields `action.params.<name>`; this form uses the names alone. */
function onThisForm(e: ApiError, partner: string): ApiError {
  const message = inWords(e, partner);
  return e.field?.startsWith('action.params.')
    ? { ...e, message, field: e.field.slice('action.params.'.length) }
    : { ...e, message };
}

/** "2", "0.5", "1,25" → a positive finite number, or null. */
export function parseRate(text: string): number | null {
  const s = text.trim().replace(',', '.');
  if (!/^\d*\.?\d+$/.test(s) && !/^\d+\.$/.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) && n > 0 ? n : null;
}

/** A rate as people read it: at most six significant digits. */
export const rateText = (rate: number) => String(Number(rate.toPrecision(6)));

/**
 * Proposes an alliance: a form_alliance proposal under the commune's governance. When it
 * passes, the other commune is asked, and decides on the same terms seen from its side.
 */
export function AllianceForm({
  commune,
  currency,
  onProposed,
}: {
  commune: string;
  currency: Currency;
  onProposed: () => void;
}) {
  const [partner, setPartner] = useState('');
  const [limit, setLimit] = useState('');
  const [rate, setRate] = useState('1');
  const [why, setWhy] = useState('');
  const [busy, setBusy] = useState(false);
  const [proposed, setProposed] = useState<Proposal | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const errors = useFormErrors(FIELDS);

  const units = pluralUnit(currency.unit);
  const parsedLimit = parseAmount(limit, currency);
  const parsedRate = parseRate(rate);
  const handle = partner.trim().replace(/^@/, '').toLowerCase();
  const mirror =
    parsedLimit.ok && parsedRate !== null && handle
      ? `@${handle} will be asked to pass the same terms from its side: a trade limit of ${Math.round(parsedLimit.value * parsedRate)} of its units, and a rate of ${rateText(1 / parsedRate)}.`
      : null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setProposed(null);
    const fail = (field: string, message: string) =>
      errors.show({ status: 0, code: 'invalid_input', message, field }, form.current);
    if (!handle) return fail('commune', 'Enter the handle of the commune to ally with.');
    if (!parsedLimit.ok) return fail('tradeLimit', parsedLimit.message);
    if (parsedRate === null) return fail('rate', 'Enter a number above zero, such as 1 or 0.5.');
    setBusy(true);
    const r = await networkApi.proposeAlliance(
      commune,
      { commune: handle, tradeLimit: parsedLimit.value, rate: parsedRate },
      why.trim(),
    );
    setBusy(false);
    if (!r.ok) return errors.show(onThisForm(r.error, handle), form.current);
    errors.clear();
    setProposed(r.value);
    setPartner('');
    setLimit('');
    setRate('1');
    setWhy('');
    onProposed();
  }

  return (
    <form ref={form} onSubmit={(e) => void submit(e)} noValidate className="stack alliance-form">
      <p className="muted small">
        An alliance is decided by both communes: this puts it to our members first; when it passes,
        the other commune decides on the same terms.
      </p>
      <FormError message={errors.form} />
      {proposed ? (
        <Notice tone="success">
          Proposed: {proposed.title}. The members decide by{' '}
          {METHOD_LABELS[proposed.method].toLowerCase()} until <When iso={proposed.closesAt} />.{' '}
          <Link to={proposalPath(proposed.id)}>Vote on the proposal</Link>
        </Notice>
      ) : null}
      <TextField
        label="Commune to ally with"
        name="commune"
        autoCapitalize="none"
        autoComplete="off"
        maxLength={31}
        value={partner}
        onChange={(e) => setPartner(e.target.value)}
        hint="Its handle, such as riverbank."
        error={errors.field('commune')}
      />
      <TextField
        label={`Trade limit (${units})`}
        name="tradeLimit"
        inputMode={currency.decimals > 0 ? 'decimal' : 'numeric'}
        autoComplete="off"
        value={limit}
        onChange={(e) => setLimit(e.target.value)}
        hint={`How far the trade may lean either way, in our ${units}.`}
        error={errors.field('tradeLimit')}
      />
      <TextField
        label="Rate"
        name="rate"
        inputMode="decimal"
        autoComplete="off"
        value={rate}
        onChange={(e) => setRate(e.target.value)}
        hint={
          currency.decimals === 0
            ? `How many of their units one of our ${units} is worth: 2 means one here buys 2 there.`
            : 'Units of their currency for one of ours, each counted in its smallest unit.'
        }
        error={errors.field('rate')}
      />
      {mirror ? <p className="muted small">{mirror}</p> : null}
      <TextArea
        label="Why (optional)"
        name="body"
        rows={2}
        value={why}
        onChange={(e) => setWhy(e.target.value)}
        error={errors.field('body')}
      />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Proposing…' : 'Propose the alliance'}
        </button>
      </div>
    </form>
  );
}
