import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { charterChanges } from './charter-diff.ts';

const current = {
  name: 'Seed library',
  vision: 'We share seeds.',
  agreements: ['Return what you borrow', 'Label your seeds'],
  maxMembers: 12,
};

describe('charterChanges', () => {
  it('shows a changed vision word by word', () => {
    const [c] = charterChanges(current, { vision: 'We share old seeds.' });
    assert.equal(c?.kind, 'text');
    assert.equal(c?.label, 'Vision');
    assert.deepEqual(c?.kind === 'text' ? c.parts.filter((p) => p.op !== 'same') : [], [
      { op: 'added', text: 'old ' },
    ]);
  });

  it('shows agreements line by line, an unchanged one as the same', () => {
    const [c] = charterChanges(current, {
      agreements: ['Return what you borrow', 'Label your seeds with the year'],
    });
    assert.ok(c?.kind === 'text');
    assert.deepEqual(c.parts, [
      { op: 'same', text: 'Return what you borrow\n' },
      { op: 'removed', text: 'Label your seeds\n' },
      { op: 'added', text: 'Label your seeds with the year\n' },
    ]);
  });

  it('shows other fields as from and to', () => {
    assert.deepEqual(charterChanges(current, { maxMembers: 20 }), [
      { field: 'maxMembers', label: 'Most members', kind: 'value', from: '12', to: '20' },
    ]);
  });
});
