import { JOIN_POLICY_LABELS, VISIBILITY_LABELS } from '../communes/labels.ts';
import { SelectField, TextArea, TextField } from '../ui/fields.tsx';
import type { ActionDraft, ActionFieldsProps } from './action-draft.ts';

export function CharterFields({ draft, onChange, errors }: ActionFieldsProps) {
  const setCharter = (patch: Partial<ActionDraft['charter']>) =>
    onChange({ ...draft, charter: { ...draft.charter, ...patch } });
  return (
    <>
      <p className="hint">Change what should change; only the changed parts are proposed.</p>
      <TextField
        label="Name"
        name="name"
        maxLength={100}
        value={draft.charter.name}
        onChange={(e) => setCharter({ name: e.target.value })}
        error={errors.field('name')}
      />
      <TextArea
        label="Vision"
        name="vision"
        rows={4}
        maxLength={5000}
        value={draft.charter.vision}
        onChange={(e) => setCharter({ vision: e.target.value })}
        error={errors.field('vision')}
      />
      <TextArea
        label="Agreements"
        name="agreements"
        rows={4}
        value={draft.charter.agreements}
        onChange={(e) => setCharter({ agreements: e.target.value })}
        hint="One agreement per line."
        error={errors.field('agreements')}
      />
      <SelectField
        label="Join policy"
        name="joinPolicy"
        options={Object.entries(JOIN_POLICY_LABELS).map(([value, label]) => ({ value, label }))}
        value={draft.charter.joinPolicy}
        onChange={(e) => setCharter({ joinPolicy: e.target.value })}
        error={errors.field('joinPolicy')}
      />
      <SelectField
        label="Visibility"
        name="visibility"
        options={Object.entries(VISIBILITY_LABELS).map(([value, label]) => ({ value, label }))}
        value={draft.charter.visibility}
        onChange={(e) => setCharter({ visibility: e.target.value })}
        error={errors.field('visibility')}
      />
      <TextField
        label="Most members"
        name="maxMembers"
        type="number"
        min={2}
        max={150}
        value={draft.charter.maxMembers}
        onChange={(e) => setCharter({ maxMembers: e.target.value })}
        error={errors.field('maxMembers')}
      />
    </>
  );
}
