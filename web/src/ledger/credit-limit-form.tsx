import { useRef, useState, type FormEvent } from 'react';
import type { ApiError } from '../api/client.ts';
import type { Proposal } from '../api/decisions.ts';
import { PURSE, ledgerApi, type Currency, type LedgerAccount } from '../api/ledger.ts';
import { METHOD_LABELS, proposalPath } from '../decisions/labels.ts';
import { Link } from '../router.tsx';
import { CheckboxField, FormError, SelectField, TextArea, TextField } from '../ui/fields.tsx';
import { useFormErrors } from '../ui/form-errors.ts';
import { Notice, When } from '../ui/page.tsx';
import { formatMoney, parseAmount, pluralUnit } from './money.ts';

const FIELDS = ['owner', 'limit', 'body'] as const;
const DEFAULT = 'default';

/** The proposal's title, in the words the decision log shows. */
function limitProposalTitle(
  owner: string,
  limit: number | null,
  currency: Pick<Currency, 'decimals' | 'unit'>,
): string {
  if (owner === DEFAULT)
    return `Set the default credit limit to ${formatMoney(limit ?? 0, currency)}`;
  return limit === null
    ? `Put @${owner} back on the default credit limit`
    : `Set the credit limit of @${owner} to ${formatMoney(limit, currency)}`;
}

/** The API names the action's fields (`action.params.limit`); this form calls them owner and limit. */
function onThisForm(e: ApiError): ApiError {
  const param = e.field?.startsWith('action.params.')
    ? e.field.slice('action.params.'.length)
    : null;
  if (param === 'member') return { ...e, field: 'owner' };
  if (param === 'limit') return { ...e, field: 'limit' };
  return e;
}

/**
 * Proposes a new credit limit for one member (or the default for everyone). Limits change
 * by decision: this opens a set_credit_limit proposal under the commune's governance, and
 * the limit changes when it passes. `onChanged` is not called here: nothing changes yet.
 */
export function CreditLimitForm({
  commune,
  accounts,
  currency,
}: {
  commune: string;
  accounts: LedgerAccount[];
  currency: Currency;
  onChanged?: () => void;
}) {
  const [owner, setOwner] = useState('');
  const [limit, setLimit] = useState('');
  const [why, setWhy] = useState('');
  const [useDefault, setUseDefault] = useState(false);
  const [busy, setBusy] = useState(false);
  const [proposed, setProposed] = useState<Proposal | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const errors = useFormErrors(FIELDS);

  const members = accounts
    .filter((a) => a.owner !== PURSE && !a.frozen)
    .sort((a, b) => a.owner.localeCompare(b.owner));
  const options = [
    { value: '', label: 'Choose a member' },
    ...members.map((a) => ({
      value: a.owner,
      label: `@${a.owner} (now ${formatMoney(-a.creditLimit, currency)})`,
    })),
    {
      value: DEFAULT,
      label: `The default for everyone (now ${formatMoney(-currency.defaultCreditLimit, currency)})`,
    },
  ];
  const resetting = useDefault && owner !== DEFAULT;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setProposed(null);
    if (!owner)
      return errors.show(
        {
          status: 0,
          code: 'invalid_input',
          message: 'Choose whose limit to change.',
          field: 'owner',
        },
        form.current,
      );
    let value: number | null = null;
    if (!resetting) {
      const parsed = parseAmount(limit, currency, { allowZero: true });
      if (!parsed.ok)
        return errors.show(
          { status: 0, code: 'invalid_input', message: parsed.message, field: 'limit' },
          form.current,
        );
      value = parsed.value;
    }
    setBusy(true);
    const r = await ledgerApi.proposeCreditLimit(commune, {
      title: limitProposalTitle(owner, value, currency),
      body: why.trim(),
      member: owner,
      limit: value,
    });
    setBusy(false);
    if (!r.ok) return errors.show(onThisForm(r.error), form.current);
    errors.clear();
    setProposed(r.value);
    setLimit('');
    setWhy('');
    setUseDefault(false);
  }

  return (
    <form ref={form} onSubmit={(e) => void submit(e)} noValidate className="stack">
      <p className="muted small">
        Credit limits change by decision: this puts the change to the members, and it takes effect
        if their vote passes.
      </p>
      <FormError message={errors.form} />
      {proposed ? (
        <Notice tone="success">
          Proposed: {proposed.title}. The members decide by{' '}
          {METHOD_LABELS[proposed.method].toLowerCase()} until <When iso={proposed.closesAt} />.{' '}
          <Link to={proposalPath(proposed.id)}>Vote on the proposal</Link>
        </Notice>
      ) : null}
      <SelectField
        label="Whose limit"
        name="owner"
        options={options}
        value={owner}
        onChange={(e) => setOwner(e.target.value)}
        error={errors.field('owner')}
      />
      {owner !== DEFAULT ? (
        <CheckboxField
          label="Use the commune's default limit"
          name="useDefault"
          checked={useDefault}
          onChange={(e) => setUseDefault(e.target.checked)}
        />
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
          {busy ? 'Proposing…' : 'Propose the change'}
        </button>
      </div>
    </form>
  );
}
