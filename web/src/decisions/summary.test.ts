import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Tally } from '../api/decisions.ts';
import { durationWords, percent, slotLabel } from './labels.ts';
import { moved } from './reorder.ts';
import {
  actionStatus,
  countsText,
  describeAction,
  headline,
  notSettledWords,
  turnout,
} from './summary.ts';

// Run with: npx node --test web/src/decisions/summary.test.ts
const hours = {
  code: 'HR',
  name: 'Hours',
  unit: 'hour',
  decimals: 0,
  defaultCreditLimit: 20,
  maxBalance: null,
  demurrageBasisPoints: 0,
};
const common = {
  closed: true,
  eligible: 3,
  castWeight: 3,
  ballotCount: 3,
  quorum: 0.5,
  quorumMet: true,
  threshold: 0.5,
  thresholdBasis: 'cast' as const,
  carried: [],
};

describe('reordering a ranking', () => {
  it('keeps every option exactly once and puts the moved one where asked', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string(), { minLength: 1, maxLength: 12 }),
        fc.nat(),
        fc.nat(),
        (list, a, b) => {
          const from = a % list.length;
          const to = b % list.length;
          const out = moved(list, from, to);
          assert.deepEqual([...out].sort(), [...list].sort());
          assert.equal(out[to], list[from]);
        },
      ),
    );
  });

  it('moves up and down by one', () => {
    assert.deepEqual(moved(['a', 'b', 'c'], 2, 1), ['a', 'c', 'b']);
    assert.deepEqual(moved(['a', 'b', 'c'], 0, 1), ['b', 'a', 'c']);
  });
});

describe('words for the countdown and shares', () => {
  it('names the two largest units', () => {
    assert.equal(durationWords(7 * 86_400_000), '7 days');
    assert.equal(durationWords(6 * 86_400_000 + 23 * 3_600_000 + 59 * 60_000), '6 days 23 hours');
    assert.equal(durationWords(61_000), '1 minute 1 second');
    assert.equal(durationWords(0), 'less than a second');
    assert.equal(durationWords(-5), 'less than a second');
  });

  it('shows shares as percentages without noise', () => {
    assert.equal(percent(0.5), '50%');
    assert.equal(percent(2 / 3), '66.7%');
  });

  it('formats ISO time slots and leaves other options alone', () => {
    assert.equal(slotLabel('Apples'), 'Apples');
    assert.notEqual(slotLabel('2030-01-31T18:00:00.000Z'), '2030-01-31T18:00:00.000Z');
  });
});

describe('tally summaries', () => {
  it('says a motion passed with its counts and turnout', () => {
    const t: Tally = {
      ...common,
      method: 'majority',
      outcome: 'passed',
      reason: null,
      motion: true,
      winners: ['yes'],
      winner: 'yes',
      counts: [
        { option: 'yes', weight: 2 },
        { option: 'no', weight: 1 },
      ],
    };
    assert.equal(headline(t), 'Passed');
    assert.equal(countsText(t), 'yes 2, no 1');
    assert.equal(turnout(t), '3 of 3 votes cast (quorum 50%: met)');
  });

  it('gives the reason for a rejection and the leader of an open count', () => {
    const consent: Tally = {
      ...common,
      method: 'consent',
      outcome: 'rejected',
      reason: 'objected',
      counts: { consent: 2, object: 1 },
    };
    assert.equal(headline(consent), 'Rejected: someone objected');
    const open: Tally = {
      ...common,
      closed: false,
      method: 'score',
      outcome: 'undecided',
      reason: 'open',
      winners: ['Soup'],
      winner: 'Soup',
      counts: [{ option: 'Soup', weight: 4, average: 4 }],
    };
    assert.equal(headline(open), 'Undecided so far; Soup leads');
  });
});

describe('actions in words', () => {
  const spend = { type: 'spend' as const, params: { to: 'bob', amount: 5, memo: 'Seeds' } };

  it('describes a spend in the currency', () => {
    assert.equal(describeAction(spend, hours), 'Pay 5 hours from the purse to @bob: Seeds');
  });

  it('says what a change of governance opens or closes to outsiders', () => {
    const open = { type: 'change_governance' as const, params: { openBooks: true } };
    assert.equal(describeAction(open, hours), 'Change how we decide: open the books to outsiders');
    const both = {
      type: 'change_governance' as const,
      params: { rules: { spend: { method: 'consent' } }, openBallots: false },
    };
    assert.match(describeAction(both, hours), /by consent; keep named ballots to members$/);
  });

  it('describes an alliance with its terms, and its ending', () => {
    const ally = { commune: 'bakery', tradeLimit: 10, rate: 2 };
    assert.equal(
      describeAction({ type: 'form_alliance', params: ally }, hours),
      'Ally with @bakery: trade limit 10 hours either way, 2 of its currency for one of ours',
    );
    assert.equal(
      describeAction({ type: 'end_alliance', params: { commune: 'bakery' } }, hours),
      'End the alliance with @bakery: no new trade starts',
    );
  });

  it('says an action names something hidden, and nothing of its result', () => {
    const hidden = { type: 'form_alliance' as const, params: { hidden: true } };
    assert.match(describeAction(hidden, hours), /details hidden/);
    const done = actionStatus({
      status: 'passed',
      action: { ...hidden, executed: true, result: { hidden: true } },
    });
    assert.deepEqual(done, { tone: 'success', text: 'Action executed' });
  });

  it('reports what an executed action did, or why it failed', () => {
    const done = actionStatus(
      {
        status: 'passed',
        action: { ...spend, executed: true, result: { transfer: 'x', amount: 5, to: 'bob' } },
      },
      hours,
    );
    assert.deepEqual(done, { tone: 'success', text: 'Action executed: paid 5 hours to @bob' });
    const failed = actionStatus({
      status: 'passed',
      action: {
        ...spend,
        executed: false,
        result: {
          error: { code: 'purse_insufficient_funds', message: 'The purse holds too little' },
        },
      },
    });
    assert.deepEqual(failed, {
      tone: 'warning',
      text: 'Action failed: The purse holds too little',
    });
    assert.equal(
      actionStatus({ status: 'rejected', action: { ...spend, executed: false, result: null } })
        ?.text,
      'Action not run: the proposal did not pass',
    );
  });
});

describe('ranked results in words', () => {
  it('gives tied options one place, and the next place after them', () => {
    const ranked: Tally = {
      ...common,
      threshold: null,
      thresholdBasis: null,
      method: 'ranked',
      outcome: 'passed',
      reason: null,
      options: ['A', 'B', 'C', 'D'],
      pairwise: [],
      strongestPaths: [],
      order: ['A', 'C', 'D', 'B'],
      tiers: [['A', 'C', 'D'], ['B']],
      winners: ['A', 'C', 'D'],
      winner: 'A',
      instantRunoff: { winner: null, tied: ['A', 'C'], rounds: [] },
    };
    assert.equal(countsText(ranked), '1. A = C = D, 4. B');
  });
});

describe('settlement in words', () => {
  const s = {
    settled: false,
    notVoted: 5,
    delegated: 2,
    outcomeCanChange: true,
    quorumCanChange: false,
    awaitingAuthor: false,
  };
  it('says how many members can still vote, and how many through a delegate', () => {
    assert.equal(
      notSettledWords(s),
      'Not settled yet: 5 members can still vote (2 now through a delegate).',
    );
    assert.equal(
      notSettledWords({ ...s, notVoted: 1, delegated: 0 }),
      'Not settled yet: 1 member can still vote.',
    );
  });
});
