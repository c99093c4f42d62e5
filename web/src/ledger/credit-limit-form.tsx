import { useRef, useState, type FormEvent } from 'react';
import { PURSE, ledgerApi, type Currency, type LedgerAccount } from '../api/ledger.ts';
import { CheckboxField, FormError, SelectField, TextField } from '../ui/fields.tsx';
import { useFormErrors } from '../ui/form-errors.ts';
import { Notice } from '../ui/page.tsx';
import { formatMoney, parseAmount, pluralUnit } from './money.ts';

const FIELDS = ['owner', 'limit'] as const;
const DEFAULT = 'default';

/** Stewards set how far below zero one member (or, by default, everyone) may go. Every change is logged. */
export function CreditLimitForm({ commune, accounts, currency, onChanged }: { commune: string; accounts: LedgerAccount[]; currency: Currency; onChanged: () => void }) {
  const [owner, setOwner] = useState('');
  const [limit, setLimit] = useState('');
  const [useDefault, setUseDefault] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const errors = useFormErrors(FIELDS);

  const members = accounts.filter((a) => a.owner !== PURSE && !a.frozen).sort((a, b) => a.owner.localeCompare(b.owner));
  const options = [
    { value: '', label: 'Choose a member' },
    ...members.map((a) => ({ value: a.owner, label: `@${a.owner} (now ${formatMoney(-a.creditLimit, currency)})` })),
    { value: DEFAULT, label: `The default for everyone (now ${formatMoney(-currency.defaultCreditLimit, currency)})` },
  ];
  const resetting = useDefault && owner !== DEFAULT;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone(null);
    if (!owner) return errors.show({ status: 0, code: 'invalid_input', message: 'Choose whose limit to change.', field: 'owner' }, form.current);
    let value: number | null = null;
    if (!resetting) {
      const parsed = parseAmount(limit, currency, { allowZero: true });
      if (!parsed.ok) return errors.show({ status: 0, code: 'invalid_input', message: parsed.message, field: 'limit' }, form.current);
      value = parsed.value;
    }
    setBusy(true);
    const r = await ledgerApi.setCreditLimit(commune, owner, value);
    setBusy(false);
    if (!r.ok) {
      const field = r.error.field === 'defaultCreditLimit' || r.error.code === 'limit_below_balance' ? 'limit' : r.error.field;
      return errors.show(field ? { ...r.error, field } : r.error, form.current);
    }
    errors.clear();
    const floor = formatMoney(-r.value.creditLimit, currency);
    setDone(r.value.owner === DEFAULT ? `By default, members can now go down to ${floor}.` : `@${r.value.owner} can now go down to ${floor}.`);
    setLimit('');
    setUseDefault(false);
    onChanged();
  }

  return (
    <form ref={form} onSubmit={(e) => void submit(e)} noValidate className="stack">
      <FormError message={errors.form} />
      {done ? <Notice tone="success">{done}</Notice> : null}
      <SelectField label="Whose limit" name="owner" options={options} value={owner} onChange={(e) => setOwner(e.target.value)} error={errors.field('owner')} />
      {owner !== DEFAULT ? (
        <CheckboxField label="Use the commune's default limit" name="useDefault" checked={useDefault} onChange={(e) => setUseDefault(e.target.checked)} />
      ) : null}
      {!resetting ? (
        <TextField
          label={`New credit limit (${pluralUnit(currency.unit)})`}
          name="limit"
          inputMode={currency.decimals > 0 ? 'decimal' : 'numeric'}
          autoComplete="off"
          value={limit}
          onChange={(e) => setLimit(e.target.value)}
          hint="How far below zero the balance may go: 30 means down to −30."
          error={errors.field('limit')}
        />
      ) : null}
      <div className="actions">
        <button type="submit" disabled={busy}>{busy ? 'Saving…' : 'Set the limit'}</button>
      </div>
    </form>
  );
}
