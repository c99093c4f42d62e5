import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { resolveDelegation, type Delegation, type DelegationInput } from './delegation.ts';

const general = (from: string, to: string): Delegation => ({ from, to, topic: null });
const weightsOf = (input: DelegationInput) => Object.fromEntries(resolveDelegation(input).weights);
const finalOf = (input: DelegationInput) => Object.fromEntries(resolveDelegation(input).finalVoter);

describe('delegation vectors', () => {
  const members = ['ann', 'bob', 'cat', 'dan', 'eve'];

  it('is transitive: a chain ends at the one who voted', () => {
    const input = {
      members,
      delegations: [general('ann', 'bob'), general('bob', 'cat')],
      topic: null,
      directVoters: ['cat', 'dan'],
    };
    assert.deepEqual(weightsOf(input), { cat: 3, dan: 1 });
    assert.deepEqual(finalOf(input), { ann: 'cat', bob: 'cat' });
    assert.equal(resolveDelegation(input).eligible, 5);
  });

  it('a topic delegation replaces the general one on that topic only', () => {
    const delegations = [general('ann', 'bob'), { from: 'ann', to: 'cat', topic: 'money' }];
    const at = (topic: string | null) =>
      finalOf({ members, delegations, topic, directVoters: ['bob', 'cat'] }).ann;
    assert.equal(at('money'), 'cat');
    assert.equal(at('garden'), 'bob');
    assert.equal(at(null), 'bob');
    // Someone with only a topic delegation lends nothing on other topics.
    assert.deepEqual(
      finalOf({
        members,
        delegations: [{ from: 'eve', to: 'bob', topic: 'money' }],
        topic: 'garden',
        directVoters: ['bob'],
      }),
      {},
    );
  });

  it('voting directly overrides your own delegation, and you still receive', () => {
    const input = {
      members,
      delegations: [general('ann', 'bob'), general('bob', 'cat')],
      topic: null,
      directVoters: ['bob', 'cat'],
    };
    assert.deepEqual(weightsOf(input), { bob: 2, cat: 1 });
  });

  it('a cycle that reaches no voter casts nothing, and ends', () => {
    const cycle = [
      general('ann', 'bob'),
      general('bob', 'cat'),
      general('cat', 'ann'),
      general('dan', 'ann'),
    ];
    assert.deepEqual(
      weightsOf({ members, delegations: cycle, topic: null, directVoters: ['eve'] }),
      { eve: 1 },
    );
    assert.deepEqual(
      finalOf({ members, delegations: cycle, topic: null, directVoters: ['eve'] }),
      {},
    );
    // Once one of them votes, the cycle is broken there and the rest flows to them.
    assert.deepEqual(
      weightsOf({ members, delegations: cycle, topic: null, directVoters: ['bob'] }),
      { bob: 4 },
    );
  });

  it('a chain to someone who did not vote casts nothing', () => {
    assert.deepEqual(
      weightsOf({
        members,
        delegations: [general('ann', 'bob')],
        topic: null,
        directVoters: ['cat'],
      }),
      { cat: 1 },
    );
  });

  it('an excluded member carries no weight and receives none', () => {
    const input = {
      members,
      delegations: [
        general('ann', 'eve'),
        general('eve', 'bob'),
        general('cat', 'dan'),
        general('dan', 'eve'),
      ],
      topic: null,
      directVoters: ['eve', 'bob'],
      excluded: ['eve'],
    };
    const result = resolveDelegation(input);
    assert.equal(result.eligible, 4);
    assert.deepEqual(Object.fromEntries(result.weights), { bob: 1 });
    assert.deepEqual(Object.fromEntries(result.finalVoter), {});
  });

  it('ignores delegations to or from non-members and to oneself', () => {
    const input = {
      members,
      delegations: [general('ann', 'zed'), general('zed', 'bob'), general('cat', 'cat')],
      topic: null,
      directVoters: ['bob', 'zed'],
    };
    assert.deepEqual(weightsOf(input), { bob: 1 });
  });

  it('refuses two delegations from one member on one topic (a storage bug)', () => {
    assert.throws(
      () =>
        resolveDelegation({
          members,
          delegations: [general('ann', 'bob'), general('ann', 'cat')],
          topic: null,
          directVoters: [],
        }),
      /two delegations/,
    );
  });

  it('follows a chain through all 150 members', () => {
    const many = Array.from({ length: 150 }, (_, i) => `m${i}`);
    const delegations = many.slice(0, -1).map((m, i) => general(m, many[i + 1]!));
    assert.deepEqual(
      weightsOf({ members: many, delegations, topic: null, directVoters: ['m149'] }),
      { m149: 150 },
    );
  });
});

/** Random communes: members, at most one delegation per (member, topic), voters, exclusions. */
const communeArb = fc.integer({ min: 1, max: 25 }).chain((n) => {
  const members = Array.from({ length: n }, (_, i) => `m${i}`);
  const someone = fc.integer({ min: 0, max: n + 1 }).map((i) => `m${i}`); // m{n}, m{n+1}: not members
  const topic = fc.constantFrom(null, 'money', 'garden');
  return fc.record({
    members: fc.constant(members),
    delegations: fc
      .uniqueArray(fc.record({ from: someone, to: someone, topic }), {
        selector: (d) => `${d.from}/${d.topic}`,
        maxLength: 3 * n,
      })
      .map((ds) => ds as Delegation[]),
    topic,
    directVoters: fc.subarray([...members, `m${n}`]),
    excluded: fc.subarray(members, { maxLength: Math.min(2, n) }),
  });
});

/** The rule read literally: follow the chosen delegate, step by step, at most n steps. */
function oracle(
  input: DelegationInput & { excluded: string[]; directVoters: string[] },
  member: string,
): string | null {
  const ok = (m: string) => input.members.includes(m) && !input.excluded.includes(m);
  const pick = (m: string) =>
    input.delegations.find((d) => d.from === m && d.topic !== null && d.topic === input.topic) ??
    input.delegations.find((d) => d.from === m && d.topic === null);
  let at = member;
  for (let step = 0; step <= input.members.length; step++) {
    if (input.directVoters.includes(at)) return at;
    const next = pick(at)?.to;
    if (next === undefined || next === at || !ok(next)) return null;
    at = next;
  }
  return null;
}

describe('delegation properties', () => {
  it('weights add up to at most the eligible members, each counted once', () => {
    fc.assert(
      fc.property(communeArb, (input) => {
        const { eligible, weights, finalVoter } = resolveDelegation(input);
        const total = [...weights.values()].reduce((s, w) => s + w, 0);
        assert.ok(total <= eligible);
        assert.equal(eligible, input.members.length - input.excluded.length);
        // Each member is either a direct voter (a key of weights) or flows to one, never both.
        for (const member of finalVoter.keys()) assert.ok(!weights.has(member));
        assert.equal(total, weights.size + finalVoter.size);
        for (const [member, voter] of finalVoter) {
          assert.ok(weights.has(voter), `${member} flows to ${voter}, who has no ballot`);
          assert.ok(!input.excluded.includes(member) && !input.excluded.includes(voter));
        }
        for (const voter of weights.keys())
          assert.ok(input.members.includes(voter) && !input.excluded.includes(voter));
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with following each chain step by step (so cycles end and go nowhere)', () => {
    fc.assert(
      fc.property(communeArb, (input) => {
        const { finalVoter } = resolveDelegation(input);
        for (const member of input.members) {
          if (input.excluded.includes(member) || input.directVoters.includes(member)) continue;
          assert.equal(finalVoter.get(member) ?? null, oracle(input, member), member);
        }
      }),
      { numRuns: 500 },
    );
  });
});
