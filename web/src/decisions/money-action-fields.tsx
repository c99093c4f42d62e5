import type { Currency } from '../api/ledger.ts';
import { formatAmount, pluralUnit } from '../ledger/money.ts';
import { CheckboxField, SelectField, TextField } from '../ui/fields.tsx';
import type { ActionDraft, ActionFieldsProps } from './action-draft.ts';
import { spendWarning } from './spend-warning.ts';
import { byHandle, memberOptions } from './membership-action-fields.tsx';

const unitsOf = (c: Currency | null) => (c ? pluralUnit(c.unit) : 'units');

export function SpendFields({ draft, onChange, ctx, errors }: ActionFieldsProps) {
  const set = (patch: Partial<ActionDraft>) => onChange({ ...draft, ...patch });
  const c = ctx.currency;
  const units = unitsOf(c);
  const amountHint = c
    ? c.decimals === 0
      ? `Whole ${units}.`
      : `In ${units}, up to ${c.decimals} decimal places.`
    : undefined;
  const warning = spendWarning(draft.amount, c, ctx.purse);
  return (
    <>
      <SelectField
        label="Pay to"
        name="to"
        options={memberOptions('Choose a member', byHandle(ctx.members))}
        value={draft.to}
        onChange={(e) => set({ to: e.target.value })}
        error={errors.field('to')}
      />
      <TextField
        label={`Amount (${units})`}
        name="amount"
        inputMode={c && c.decimals > 0 ? 'decimal' : 'numeric'}
        autoComplete="off"
        value={draft.amount}
        onChange={(e) => set({ amount: e.target.value })}
        hint={amountHint}
        error={errors.field('amount')}
      />
      {warning ? (
        <p className="action-status warning" role="status">
          {warning}
        </p>
      ) : null}
      <TextField
        label="What for (optional)"
        name="memo"
        maxLength={500}
        value={draft.memo}
        onChange={(e) => set({ memo: e.target.value })}
        hint="Shown on the purse's statement; the proposal's title is used if you leave it empty."
        error={errors.field('memo')}
      />
    </>
  );
}

export function CreditLimitFields({ draft, onChange, ctx, errors }: ActionFieldsProps) {
  const set = (patch: Partial<ActionDraft>) => onChange({ ...draft, ...patch });
  const c = ctx.currency;
  const units = unitsOf(c);
  return (
    <>
      <SelectField
        label="Whose limit"
        name="member"
        options={[
          ...memberOptions('Choose a member', byHandle(ctx.members)),
          {
            value: 'default',
            label: `The default for everyone${c ? ` (now ${formatAmount(-c.defaultCreditLimit, c.decimals)})` : ''}`,
          },
        ]}
        value={draft.member}
        onChange={(e) => set({ member: e.target.value })}
        error={errors.field('member')}
      />
      {draft.member !== 'default' ? (
        <CheckboxField
          label="Put them back on the commune's default limit"
          name="useDefault"
          checked={draft.useDefault}
          onChange={(e) => set({ useDefault: e.target.checked })}
        />
      ) : null}
      {draft.useDefault && draft.member !== 'default' ? null : (
        <TextField
          label={`New credit limit (${units})`}
          name="limit"
          inputMode="decimal"
          autoComplete="off"
          value={draft.limit}
          onChange={(e) => set({ limit: e.target.value })}
          hint="How far below zero the balance may go: 30 means down to −30."
          error={errors.field('limit')}
        />
      )}
    </>
  );
}
