import { useRef, useState, type FormEvent } from 'react';
import { seg, type ApiError } from '../api/client.ts';
import { inventoryApi, type Item } from '../api/inventory.ts';
import type { Currency, Ledger } from '../api/ledger.ts';
import { formatMoney, parseAmount, pluralUnit } from '../ledger/money.ts';
import { FormError, TextField } from '../ui/fields.tsx';
import { useFormErrors } from '../ui/form-errors.ts';
import { Notice } from '../ui/page.tsx';
import { handleOf } from '../ui/person.tsx';
import { useApi } from '../ui/use-api.ts';

const FIELDS = ['amount', 'memo'] as const;

/** The ledger's refusals, said plainly; the server's own words follow. */
const EXPLAIN: Record<string, string> = {
  credit_limit_exceeded: 'That is more than your account can go below zero.',
  thanks_to_self: 'You cannot thank yourself.',
  not_allied: 'Thanks across communes need an alliance between them.',
  payer_not_member: 'Only members of this commune can thank in its currency.',
  payee_not_member: 'The author is no longer a member of this commune.',
  payee_frozen: 'The author’s account is frozen.',
  account_frozen: 'Your account is frozen.',
  item_deleted: 'This item was deleted.',
  max_balance_exceeded: 'The author’s balance would go over the commune’s maximum.',
};

const AMOUNT_CODES = new Set(['credit_limit_exceeded', 'max_balance_exceeded', 'invalid_amount']);

function explained(e: ApiError): ApiError {
  const why = EXPLAIN[e.code];
  const message = why && !e.message.startsWith(why) ? `${why} (${e.message})` : e.message;
  const field = e.field ?? (AMOUNT_CODES.has(e.code) ? 'amount' : undefined);
  return field ? { ...e, message, field } : { ...e, message };
}

/** No answer, or a server fault: the thanks may or may not have gone through. */
const uncertain = (e: ApiError) => e.status === 0 || e.status >= 500;

/**
 * Sends social currency to the author, linked to the item. The id is made once per thanks and
 * sent again after a failed connection, so pressing twice never pays twice.
 */
export function ThanksForm({ item }: { item: Item }) {
  const ledger = useApi<Ledger>(`/communes/${seg(item.commune)}/ledger`);
  const currency: Pick<Currency, 'decimals' | 'unit'> = ledger.data?.currency ?? {
    decimals: 0,
    unit: 'unit',
  };
  const [amount, setAmount] = useState('');
  const [memo, setMemo] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [retrying, setRetrying] = useState(false);
  const id = useRef(crypto.randomUUID());
  const form = useRef<HTMLFormElement>(null);
  const errors = useFormErrors(FIELDS);
  const author = handleOf(item.author);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone(null);
    const parsed = parseAmount(amount, currency);
    if (!parsed.ok)
      return errors.show(
        { status: 0, code: 'invalid_amount', message: parsed.message, field: 'amount' },
        form.current,
      );
    setBusy(true);
    const r = await inventoryApi.thank(item.id, {
      id: id.current,
      amount: parsed.value,
      ...(memo.trim() ? { memo: memo.trim() } : {}),
    });
    setBusy(false);
    if (!r.ok) {
      if (uncertain(r.error)) {
        setRetrying(true);
        return errors.show({
          ...r.error,
          message: `${r.error.message} Press “Thank again”: the same thanks is sent, so it cannot be paid twice.`,
        });
      }
      if (r.error.code === 'idempotency_conflict') {
        // The earlier attempt went through while the connection was down.
        id.current = crypto.randomUUID();
        setRetrying(false);
        return errors.show({
          ...r.error,
          message: 'Your earlier thanks went through after all; nothing more was paid.',
        });
      }
      // A definite refusal stored nothing: the next try is a new thanks.
      id.current = crypto.randomUUID();
      setRetrying(false);
      return errors.show(explained(r.error), form.current);
    }
    errors.clear();
    id.current = crypto.randomUUID();
    setRetrying(false);
    setDone(`You thanked @${author} with ${formatMoney(r.value.amount, currency)}.`);
    setAmount('');
    setMemo('');
  }

  return (
    <section aria-labelledby="thanks" className="panel">
      <h2 id="thanks">Thank @{author}</h2>
      <p className="muted small">
        Thanks are paid in the commune’s social currency, from your account to theirs. Only the
        author sees how many thanked them.
      </p>
      <form ref={form} onSubmit={(e) => void submit(e)} noValidate className="stack thanks-form">
        <FormError message={errors.form} />
        {done ? <Notice tone="success">{done}</Notice> : null}
        <TextField
          label={`Amount (${pluralUnit(currency.unit)})`}
          name="amount"
          inputMode={currency.decimals > 0 ? 'decimal' : 'numeric'}
          autoComplete="off"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          error={errors.field('amount')}
        />
        <TextField
          label="A note (optional)"
          name="memo"
          maxLength={500}
          value={memo}
          onChange={(e) => setMemo(e.target.value)}
          error={errors.field('memo')}
        />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Sending…' : retrying ? 'Thank again' : 'Thank'}
          </button>
        </div>
      </form>
    </section>
  );
}
