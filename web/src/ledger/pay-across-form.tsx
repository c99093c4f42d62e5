import { useRef, useState, type FormEvent } from 'react';
import { seg, type ApiError } from '../api/client.ts';
import { ledgerApi, type Currency } from '../api/ledger.ts';
import type { Alliance } from '../api/network.ts';
import { rateText } from '../network/alliance-form.tsx';
import type { Member } from '../api/types.ts';
import { FormError, SelectField, TextField } from '../ui/fields.tsx';
import { useFormErrors } from '../ui/form-errors.ts';
import { Notice } from '../ui/page.tsx';
import { useApi } from '../ui/use-api.ts';
import { convertAcross, roomAcross } from './clearing.ts';
import { formatMoney, parseAmount, pluralUnit } from './money.ts';

const FIELDS = ['ally', 'to', 'amount', 'memo'] as const;

/** The clearing refusals, in words beside the field they concern. */
function explained(e: ApiError, ally: string, to: string): ApiError {
  switch (e.code) {
    case 'no_alliance':
      return {
        ...e,
        field: 'ally',
        message: `There is no active alliance with @${ally} any more, so nothing can be paid across. Nothing was paid.`,
      };
    case 'trade_limit_exceeded':
      return {
        ...e,
        field: 'amount',
        message: `Over the trade limit: this would take the trade balance with @${ally} beyond what the alliance allows. Nothing was paid.`,
      };
    case 'amount_too_small':
      return {
        ...e,
        field: 'amount',
        message: `Too small: at the alliance’s rate this is less than one unit of @${ally}’s currency. Pay a larger amount.`,
      };
    case 'payee_not_member':
      return {
        ...e,
        field: 'to',
        message: `@${to} is not a member of @${ally} (any more). Nothing was paid.`,
      };
    case 'payee_frozen':
      return {
        ...e,
        field: 'to',
        message: `@${to} has left @${ally}: their account is frozen. Nothing was paid.`,
      };
    case 'credit_limit_exceeded':
      return {
        ...e,
        field: 'amount',
        message: 'That is more than your account can go below zero. Nothing was paid.',
      };
    default:
      return e.field === 'toCommune' ? { ...e, field: 'ally' } : e;
  }
}

/** "you pay 5 hours; @bea receives 10 loaves": the rate applied, as the server rounds it. */
function Conversion({
  amount,
  alliance,
  ours,
  theirs,
  payee,
}: {
  amount: number;
  alliance: Alliance;
  ours: Currency;
  theirs: Pick<Currency, 'decimals' | 'unit'> | null;
  payee: string;
}) {
  const received = convertAcross(amount, alliance.rate);
  const their = theirs
    ? formatMoney(received, theirs)
    : `${received} units of @${alliance.commune}’s currency`;
  return (
    <p className="conversion" aria-live="polite">
      You pay <strong>{formatMoney(amount, ours)}</strong>;{' '}
      {payee ? `@${payee}` : `the member of @${alliance.commune}`} receives <strong>{their}</strong>{' '}
      (at a rate of {rateText(alliance.rate)}, rounded down).
      {received === 0 ? ' That is less than one unit: pay more.' : null}
    </p>
  );
}

/**
 * A member pays a member of an allied commune (`toCommune`): in our ledger to the ally's
 * clearing account, in theirs from ours to the payee, at the rate. As on the pay form, the
 * id is kept after a network error, so pressing Pay again cannot pay twice.
 */
export function PayAcrossForm({
  commune,
  currency,
  alliances,
  onPaid,
}: {
  commune: string;
  currency: Currency;
  alliances: Alliance[];
  onPaid: () => void;
}) {
  const [ally, setAlly] = useState(alliances.length === 1 ? (alliances[0]?.commune ?? '') : '');
  const [to, setTo] = useState('');
  const [amount, setAmount] = useState('');
  const [memo, setMemo] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const id = useRef<string>(crypto.randomUUID());
  const form = useRef<HTMLFormElement>(null);
  const errors = useFormErrors(FIELDS);

  const alliance = alliances.find((a) => a.commune === ally) ?? null;
  const members = useApi<Member[]>(ally ? `/communes/${seg(ally)}/members` : null);
  // The ally's books are its members' (ADR 0026); its currency comes with the alliance.
  const theirs = alliance?.currency ?? null;
  const parsed = parseAmount(amount, currency);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone(null);
    const fail = (field: string, message: string) =>
      errors.show({ status: 0, code: 'invalid_input', message, field }, form.current);
    if (!alliance) return fail('ally', 'Choose the allied commune.');
    if (!to) return fail('to', `Choose who to pay in @${alliance.commune}.`);
    if (!parsed.ok) return fail('amount', parsed.message);
    setBusy(true);
    const r = await ledgerApi.payAcross(commune, {
      id: id.current,
      to,
      toCommune: alliance.commune,
      amount: parsed.value,
      memo: memo.trim(),
    });
    setBusy(false);
    if (!r.ok) {
      // No answer or a server fault: keep the id, so trying again cannot pay twice.
      if (r.error.status === 0 || r.error.status >= 500)
        return errors.show({ ...r.error, message: `${r.error.message} Press Pay again.` });
      id.current = crypto.randomUUID();
      return errors.show(explained(r.error, alliance.commune, to), form.current);
    }
    errors.clear();
    id.current = crypto.randomUUID();
    const received = convertAcross(r.value.amount, alliance.rate);
    setDone(
      `Paid ${formatMoney(r.value.amount, currency)} to @${to} of @${alliance.commune}; they receive ${theirs ? formatMoney(received, theirs) : `${received} units`}.`,
    );
    setAmount('');
    setMemo('');
    onPaid();
  }

  const payees = (members.data ?? []).map((m) => ({
    value: m.handle,
    label:
      m.displayName && m.displayName !== m.handle
        ? `${m.displayName} (@${m.handle})`
        : `@${m.handle}`,
  }));
  return (
    <form ref={form} onSubmit={(e) => void submit(e)} noValidate className="stack pay-across-form">
      <FormError message={errors.form} />
      {done ? <Notice tone="success">{done}</Notice> : null}
      <SelectField
        label="Allied commune"
        name="ally"
        value={ally}
        onChange={(e) => {
          setAlly(e.target.value);
          setTo('');
        }}
        options={[
          { value: '', label: 'Choose an ally' },
          ...alliances.map((a) => ({ value: a.commune, label: `@${a.commune}` })),
        ]}
        error={errors.field('ally')}
      />
      <SelectField
        label="Pay to (in the allied commune)"
        name="to"
        value={to}
        onChange={(e) => setTo(e.target.value)}
        options={[
          { value: '', label: ally ? 'Choose who to pay' : 'Choose an ally first' },
          ...payees,
        ]}
        error={errors.field('to')}
      />
      <TextField
        label={`Amount across (${pluralUnit(currency.unit)})`}
        name="amount"
        inputMode={currency.decimals > 0 ? 'decimal' : 'numeric'}
        autoComplete="off"
        value={amount}
        onChange={(e) => setAmount(e.target.value)}
        hint={
          alliance
            ? `In our ${pluralUnit(currency.unit)}. The trade with @${alliance.commune} can take ${formatMoney(roomAcross(alliance), currency)} more from us.`
            : `In our ${pluralUnit(currency.unit)}.`
        }
        error={errors.field('amount')}
      />
      {alliance && parsed.ok ? (
        <Conversion
          amount={parsed.value}
          alliance={alliance}
          ours={currency}
          theirs={theirs}
          payee={to}
        />
      ) : null}
      <TextField
        label="What for (optional, across)"
        name="memo"
        maxLength={500}
        value={memo}
        onChange={(e) => setMemo(e.target.value)}
        error={errors.field('memo')}
      />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Paying…' : 'Pay across'}
        </button>
      </div>
    </form>
  );
}
