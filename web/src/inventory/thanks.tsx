import { useMemo, useRef, useState, type FormEvent } from 'react';
import { seg, type ApiError } from '../api/client.ts';
import { inventoryApi, type Item } from '../api/inventory.ts';
import type { Currency, Ledger } from '../api/ledger.ts';
import type { Alliance } from '../api/network.ts';
import { convertAcross } from '../ledger/clearing.ts';
import { formatMoney, parseAmount, pluralUnit } from '../ledger/money.ts';
import { rateText } from '../network/alliance-form.tsx';
import { useSession } from '../session.tsx';
import { FormError, SelectField, TextField } from '../ui/fields.tsx';
import { useFormErrors } from '../ui/form-errors.ts';
import { Notice } from '../ui/page.tsx';
import { handleOf } from '../ui/person.tsx';
import { useApi } from '../ui/use-api.ts';
import { useAlliedPayers } from './thanks-payers.ts';

const FIELDS = ['fromCommune', 'amount', 'memo'] as const;

/** Who pays: the item's commune (the giver is a member) or an ally of it, through clearing. */
type Payer = { commune: string; alliance: Alliance | null };

/** Where the thanks comes from and goes to, to say a refusal in words. */
type Route = { item: string; from: string | null };

/** The ledger's and clearing's refusals, said plainly, beside the field they concern. */
function explained(e: ApiError, r: Route): ApiError {
  const across = r.from ? `between @${r.from} and @${r.item}` : `with @${r.item}`;
  const say = (message: string, field?: string): ApiError =>
    field ? { ...e, message, field } : { ...e, message };
  switch (e.code) {
    case 'credit_limit_exceeded':
      return say('That is more than your account can go below zero. Nothing was paid.', 'amount');
    case 'max_balance_exceeded':
      return say('The author’s balance would go over the commune’s maximum.', 'amount');
    case 'thanks_to_self':
      return say('You cannot thank yourself.');
    case 'not_allied':
    case 'no_alliance':
      return say(
        r.from
          ? `@${r.from} is not (or no longer) allied with @${r.item}, so it cannot pay thanks there. Nothing was paid.`
          : `Thanks from outside @${r.item} go through an alliance, and none of your communes is allied with it. Nothing was paid.`,
        r.from ? 'fromCommune' : undefined,
      );
    case 'from_commune_required':
      return say(
        'Choose which of your communes pays: you belong to several allied with this one.',
        'fromCommune',
      );
    case 'trade_limit_exceeded':
      return say(
        `Over the trade limit: this would take the trade balance ${across} beyond what their alliance allows. Nothing was paid.`,
        'amount',
      );
    case 'amount_too_small':
      return say(
        `Too small: at the alliance’s rate this is less than one unit of @${r.item}’s currency. Thank with a larger amount.`,
        'amount',
      );
    case 'payer_not_member':
      return say(`Only members of @${r.from ?? r.item} can pay in its currency.`);
    case 'payee_not_member':
      return say(`The author is no longer a member of @${r.item}. Nothing was paid.`);
    case 'payee_frozen':
      return say('The author’s account is frozen. Nothing was paid.');
    case 'account_frozen':
      return say('Your account is frozen. Nothing was paid.');
    case 'item_deleted':
      return say('This item was deleted.');
    default:
      return e.code === 'invalid_amount' && !e.field ? say(e.message, 'amount') : e;
  }
}

/** No answer, or a server fault: the thanks may or may not have gone through. */
const uncertain = (e: ApiError) => e.status === 0 || e.status >= 500;

/** "You pay 3 hours from @orchard; @bea receives 6 loaves": the rate applied, rounded down. */
function Conversion(p: {
  amount: number;
  payer: Payer & { alliance: Alliance };
  ours: Ledger['currency'];
  author: string;
}) {
  const received = convertAcross(p.amount, p.payer.alliance.rate);
  const theirs = p.payer.alliance.currency;
  return (
    <p className="conversion" aria-live="polite">
      You pay <strong>{formatMoney(p.amount, p.ours)}</strong> from @{p.payer.commune}; @{p.author}{' '}
      receives{' '}
      <strong>
        {theirs
          ? formatMoney(received, theirs)
          : `${received} units of @${p.payer.alliance.commune}’s currency`}
      </strong>{' '}
      (at a rate of {rateText(p.payer.alliance.rate)}, rounded down).
      {received === 0 ? ' That is less than one unit: thank with more.' : null}
    </p>
  );
}

/**
 * Sends social currency to the author, linked to the item: from a member, in the item's
 * commune's currency; from a member of an allied commune, in that commune's currency through
 * clearing (they pick the commune when several are allied). The id is made once per thanks and
 * sent again after a failed connection, so pressing twice never pays twice.
 */
export function ThanksForm({ item }: { item: Item }) {
  const { me } = useSession();
  const member = me?.communes.some((c) => c.handle === item.commune) ?? false;
  const others = useMemo(
    () => (me?.communes ?? []).map((c) => c.handle).filter((h) => h !== item.commune),
    [me, item.commune],
  );
  const allied = useAlliedPayers(item.commune, others);
  const payers: Payer[] = [
    ...(member ? [{ commune: item.commune, alliance: null }] : []),
    ...allied.payers,
  ];
  const [picked, setPicked] = useState('');
  // A member pays at home unless they pick an ally; one ally alone needs no picking.
  const payer =
    payers.find((p) => p.commune === picked) ?? (member || payers.length === 1 ? payers[0] : null);
  const from = payer?.alliance ? payer.commune : null;

  // The paying commune's currency; with several to pick from, none until one is picked.
  const paysIn =
    payer?.commune ?? (payers.length > 1 || (!member && allied.loading) ? null : item.commune);
  const ledger = useApi<Ledger>(paysIn ? `/communes/${seg(paysIn)}/ledger` : null);
  const known = paysIn !== null && ledger.data !== null;
  const currency: Pick<Currency, 'decimals' | 'unit'> = (known ? ledger.data?.currency : null) ?? {
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
  const parsed = parseAmount(amount, currency);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone(null);
    const fail = (field: string, message: string) =>
      errors.show({ status: 0, code: 'invalid_input', message, field }, form.current);
    if (payers.length > 1 && !payer)
      return fail('fromCommune', 'Choose which of your communes pays.');
    if (!parsed.ok) return fail('amount', parsed.message);
    setBusy(true);
    const r = await inventoryApi.thank(item.id, {
      id: id.current,
      amount: parsed.value,
      ...(memo.trim() ? { memo: memo.trim() } : {}),
      ...(from ? { fromCommune: from } : {}),
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
      return errors.show(explained(r.error, { item: item.commune, from }), form.current);
    }
    errors.clear();
    id.current = crypto.randomUUID();
    setRetrying(false);
    const paid = formatMoney(r.value.amount, currency);
    const theirs = payer?.alliance?.currency;
    setDone(
      payer?.alliance
        ? `You thanked @${author} with ${paid} from @${payer.commune}; they receive ${theirs ? formatMoney(convertAcross(r.value.amount, payer.alliance.rate), theirs) : 'it in their currency'}.`
        : `You thanked @${author} with ${paid}.`,
    );
    setAmount('');
    setMemo('');
  }

  return (
    <section aria-labelledby="thanks" className="panel">
      <h2 id="thanks">Thank @{author}</h2>
      <p className="muted small">
        {from
          ? `From @${from}, thanks go through its alliance with @${item.commune}: you pay in @${from}’s currency, and @${author} receives @${item.commune}’s at the alliance’s rate.`
          : 'Thanks are paid in the commune’s social currency, from your account to theirs.'}{' '}
        Only the author sees how many thanked them.
      </p>
      <form ref={form} onSubmit={(e) => void submit(e)} noValidate className="stack thanks-form">
        <FormError message={errors.form} />
        {done ? <Notice tone="success">{done}</Notice> : null}
        {payers.length > 1 ? (
          <SelectField
            label="Pay from"
            name="fromCommune"
            value={payer?.commune ?? ''}
            disabled={retrying}
            onChange={(e) => setPicked(e.target.value)}
            options={[
              ...(payer ? [] : [{ value: '', label: 'Choose one of your communes' }]),
              ...payers.map((p) => ({
                value: p.commune,
                label: p.alliance
                  ? `@${p.commune}, through its alliance`
                  : `@${p.commune}, as a member here`,
              })),
            ]}
            hint={
              retrying
                ? 'Kept as it was, so that “Thank again” sends the same thanks.'
                : `You belong to several communes that can thank in @${item.commune}.`
            }
            error={errors.field('fromCommune')}
          />
        ) : null}
        <TextField
          label={paysIn ? `Amount (${pluralUnit(currency.unit)})` : 'Amount'}
          hint={paysIn ? undefined : 'In the currency of the commune that pays.'}
          name="amount"
          inputMode={currency.decimals > 0 ? 'decimal' : 'numeric'}
          autoComplete="off"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          error={errors.field('amount')}
        />
        {payer?.alliance && parsed.ok && ledger.data ? (
          <Conversion
            amount={parsed.value}
            payer={{ ...payer, alliance: payer.alliance }}
            ours={ledger.data.currency}
            author={author}
          />
        ) : null}
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
