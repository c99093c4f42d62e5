import { useRef, useState, type FormEvent } from 'react';
import type { ApiError } from '../api/client.ts';
import { PURSE, ledgerApi, type Currency, type LedgerAccount } from '../api/ledger.ts';
import type { Member } from '../api/types.ts';
import { FormError, SelectField, TextField } from '../ui/fields.tsx';
import { useFormErrors } from '../ui/form-errors.ts';
import { Notice } from '../ui/page.tsx';
import { formatMoney, parseAmount, pluralUnit, room } from './money.ts';

const FIELDS = ['to', 'amount', 'memo'] as const;

/** Rule refusals carry no field; these belong beside one. */
const FIELD_OF_CODE: Record<string, (typeof FIELDS)[number]> = {
  credit_limit_exceeded: 'amount',
  purse_insufficient_funds: 'amount',
  max_balance_exceeded: 'amount',
  invalid_amount: 'amount',
  payee_not_member: 'to',
  payee_frozen: 'to',
  self_payment: 'to',
  invalid_payee: 'to',
  invalid_memo: 'memo',
};
const placed = (e: ApiError): ApiError =>
  e.field || !FIELD_OF_CODE[e.code] ? e : { ...e, field: FIELD_OF_CODE[e.code] };

/** No answer, or a server fault: the payment may or may not have happened. */
const uncertain = (e: ApiError) => e.status === 0 || e.status >= 500;

/** "You can spend down to −20 hours": the floor, and what that leaves to pay now. */
export function Room({ account, currency }: { account: LedgerAccount; currency: Currency }) {
  if (account.frozen)
    return <p className="room">Your account is frozen: no payments go to or from it.</p>;
  return (
    <p className="room" id="pay-room">
      Your balance is <strong>{formatMoney(account.balance, currency)}</strong>. You can spend down
      to <strong>{formatMoney(-account.creditLimit, currency)}</strong>, so you can pay up to{' '}
      <strong>{formatMoney(room(account), currency)}</strong> now.
      {account.held > 0
        ? ` (${formatMoney(account.held, currency)} held for pending payments.)`
        : null}
    </p>
  );
}

/**
 * Pays a member or the purse. Each payment has a client-made id; after a network error the
 * same id is sent again, so pressing Pay twice can never pay twice.
 */
export function PayForm({
  commune,
  me,
  accounts,
  members,
  currency,
  onPaid,
}: {
  commune: string;
  me: LedgerAccount;
  accounts: LedgerAccount[];
  members: Member[] | null;
  currency: Currency;
  onPaid: () => void;
}) {
  const [to, setTo] = useState('');
  const [amount, setAmount] = useState('');
  const [memo, setMemo] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [retrying, setRetrying] = useState(false);
  const id = useRef<string>(crypto.randomUUID());
  const form = useRef<HTMLFormElement>(null);
  const errors = useFormErrors(FIELDS);

  const nameOf = (handle: string) => members?.find((m) => m.handle === handle)?.displayName;
  const payees = accounts
    .filter((a) => a.owner !== me.owner && a.owner !== PURSE && !a.frozen)
    .map((a) => ({
      value: a.owner,
      label:
        nameOf(a.owner) && nameOf(a.owner) !== a.owner
          ? `${nameOf(a.owner)} (@${a.owner})`
          : `@${a.owner}`,
    }))
    .sort((a, b) => a.label.localeCompare(b.label));
  const options = [
    { value: '', label: 'Choose who to pay' },
    ...payees,
    { value: PURSE, label: 'The common purse' },
  ];
  const hint =
    currency.decimals === 0
      ? `Whole ${pluralUnit(currency.unit)}.`
      : `In ${pluralUnit(currency.unit)}, up to ${currency.decimals} decimal places.`;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone(null);
    if (!to)
      return errors.show(
        { status: 0, code: 'invalid_payee', message: 'Choose who to pay.', field: 'to' },
        form.current,
      );
    const parsed = parseAmount(amount, currency);
    if (!parsed.ok)
      return errors.show(
        { status: 0, code: 'invalid_amount', message: parsed.message, field: 'amount' },
        form.current,
      );
    setBusy(true);
    const r = await ledgerApi.pay(commune, {
      id: id.current,
      to,
      amount: parsed.value,
      memo: memo.trim(),
    });
    setBusy(false);
    if (!r.ok) {
      if (uncertain(r.error)) {
        setRetrying(true);
        return errors.show({
          ...r.error,
          message: `${r.error.message} Press Pay again: the same payment is sent, so it cannot be paid twice.`,
        });
      }
      if (r.error.code === 'idempotency_conflict') {
        // The earlier attempt went through after all; start a fresh payment.
        id.current = crypto.randomUUID();
        setRetrying(false);
        onPaid();
        return errors.show({
          ...r.error,
          message:
            'Your earlier payment went through while the connection was down; it is in the list below. Nothing more was paid.',
        });
      }
      // A definite refusal stored nothing, so the next try is a new payment.
      id.current = crypto.randomUUID();
      setRetrying(false);
      return errors.show(placed(r.error), form.current);
    }
    errors.clear();
    id.current = crypto.randomUUID();
    setRetrying(false);
    setDone(
      `Paid ${formatMoney(r.value.amount, currency)} to ${r.value.to === PURSE ? 'the common purse' : `@${r.value.to}`}.`,
    );
    setAmount('');
    setMemo('');
    onPaid();
  }

  return (
    <form ref={form} onSubmit={(e) => void submit(e)} noValidate className="stack pay-form">
      <Room account={me} currency={currency} />
      <FormError message={errors.form} />
      {done ? <Notice tone="success">{done}</Notice> : null}
      <SelectField
        label="Pay to"
        name="to"
        options={options}
        value={to}
        onChange={(e) => setTo(e.target.value)}
        error={errors.field('to')}
      />
      <TextField
        label={`Amount (${pluralUnit(currency.unit)})`}
        name="amount"
        inputMode={currency.decimals > 0 ? 'decimal' : 'numeric'}
        autoComplete="off"
        value={amount}
        onChange={(e) => setAmount(e.target.value)}
        hint={hint}
        error={errors.field('amount')}
      />
      <TextField
        label="What for (optional)"
        name="memo"
        maxLength={500}
        value={memo}
        onChange={(e) => setMemo(e.target.value)}
        error={errors.field('memo')}
      />
      <div className="actions">
        <button type="submit" disabled={busy || me.frozen}>
          {busy ? 'Paying…' : retrying ? 'Pay again' : 'Pay'}
        </button>
      </div>
    </form>
  );
}
