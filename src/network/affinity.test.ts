import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { CommuneProfile, Network, Ties, Viewer } from './affinity.ts';
import { affinityParts, affinityReasons, affinityScore } from './affinity.ts';
import { graphOf } from './degrees.ts';
import { corpusOf } from './similarity.ts';

const tag = fc.constantFrom('food', 'seeds', 'water', 'tools', 'music', 'care', 'books');
const member = fc.constantFrom('m1', 'm2', 'm3', 'm4', 'm5', 'm6');
const word = fc.constantFrom('garden', 'river', 'bread', 'song', 'repair', 'children', 'the');
const profile = (id: string): fc.Arbitrary<CommuneProfile> =>
  fc.record({
    id: fc.constant(id),
    category: fc.constantFrom('farming', 'arts', ''),
    tags: fc.array(tag, { maxLength: 5 }),
    text: fc.array(word, { maxLength: 12 }).map((w) => w.join(' ')),
    members: fc.array(member, { maxLength: 5 }),
  });
const ties: fc.Arbitrary<Ties> = fc.record({
  forks: fc.nat(5),
  thanks: fc.nat(20),
  clearingVolume: fc.nat(10_000),
});
const others = ['x', 'y', 'z'];
const node = fc.constantFrom('a', 'b', ...others);
const network = (a: CommuneProfile, b: CommuneProfile, pairs: [string, string][]): Network => ({
  corpus: corpusOf([a.text, b.text, 'garden bread', 'song river']),
  graph: graphOf(pairs),
});
const world = fc.record({
  a: profile('a'),
  b: profile('b'),
  pairs: fc.array(fc.tuple(node, node), { maxLength: 8 }),
  ties,
});

describe('affinity score', () => {
  it('lies in [0, 1] and is symmetric', () => {
    fc.assert(
      fc.property(world, ({ a, b, pairs, ties }) => {
        const net = network(a, b, pairs);
        const ab = affinityScore(affinityParts(a, b, net, ties));
        const ba = affinityScore(affinityParts(b, a, net, ties));
        assert.ok(ab >= 0 && ab <= 1, `${ab}`);
        assert.ok(Math.abs(ab - ba) < 1e-12);
      }),
    );
  });

  it('never drops when a tag is added to both communes', () => {
    fc.assert(
      fc.property(world, tag, ({ a, b, pairs, ties }, extra) => {
        const net = network(a, b, pairs);
        const before = affinityScore(affinityParts(a, b, net, ties));
        const a2 = { ...a, tags: [...a.tags, extra] };
        const b2 = { ...b, tags: [...b.tags, extra] };
        assert.ok(affinityScore(affinityParts(a2, b2, net, ties)) >= before - 1e-12);
      }),
    );
  });

  it('never drops when a member joins both communes', () => {
    fc.assert(
      fc.property(world, fc.constantFrom('m1', 'm7'), ({ a, b, pairs, ties }, extra) => {
        const net = network(a, b, pairs);
        const before = affinityScore(affinityParts(a, b, net, ties));
        const a2 = { ...a, members: [...a.members, extra] };
        const b2 = { ...b, members: [...b.members, extra] };
        assert.ok(affinityScore(affinityParts(a2, b2, net, ties)) >= before - 1e-12);
      }),
    );
  });

  it('rises when a fresh shared member or tag is added', () => {
    const a: CommuneProfile = {
      id: 'a',
      category: 'arts',
      tags: ['food'],
      text: '',
      members: ['m1'],
    };
    const b: CommuneProfile = {
      id: 'b',
      category: 'farming',
      tags: ['seeds'],
      text: '',
      members: ['m2'],
    };
    const net = network(a, b, []);
    const base = affinityScore(affinityParts(a, b, net));
    const withMember = affinityParts(
      { ...a, members: ['m1', 'm9'] },
      { ...b, members: ['m2', 'm9'] },
      net,
    );
    const withTag = affinityParts(
      { ...a, tags: ['food', 'water'] },
      { ...b, tags: ['seeds', 'water'] },
      net,
    );
    assert.equal(base, 0);
    assert.ok(affinityScore(withMember) > base);
    assert.ok(affinityScore(withTag) > base);
  });

  it('ranks closer allies higher, all else equal', () => {
    const p = (id: string): CommuneProfile => ({
      id,
      category: '',
      tags: [],
      text: '',
      members: [],
    });
    const net: Network = {
      corpus: corpusOf([]),
      graph: graphOf([
        ['a', 'b'],
        ['b', 'c'],
        ['c', 'd'],
      ]),
    };
    const at = (id: string): number => affinityScore(affinityParts(p('a'), p(id), net));
    assert.ok(at('b') > at('c') && at('c') > at('d') && at('d') > at('e'));
  });
});

describe('affinity reasons', () => {
  const names: Record<string, string> = {
    a: 'Alder',
    b: 'Birch',
    x: 'Riverbank',
    y: 'Yew',
    z: 'Zelkova',
  };
  const memberNames = (id: string): string => `person-${id}`;

  it('read as a person would say them', () => {
    const a: CommuneProfile = {
      id: 'a',
      category: 'farming',
      tags: ['food', 'Seeds', 'water', 'tools'],
      text: 'we garden by the river',
      members: ['m1', 'm2', 'm3'],
    };
    const b: CommuneProfile = {
      ...a,
      id: 'b',
      tags: ['water', 'seeds', 'food'],
      members: ['m2', 'm3'],
    };
    const net = network(a, b, [
      ['a', 'x'],
      ['x', 'b'],
    ]);
    const viewer: Viewer = {
      mayseeCommune: () => true,
      mayseeMember: (m) => m !== 'm3',
      communeName: (c) => names[c] ?? c,
      memberName: memberNames,
    };
    const parts = affinityParts(a, b, net, { forks: 1, thanks: 0, clearingVolume: 0 });
    assert.deepEqual(affinityReasons('a', 'b', parts, viewer), [
      'allied through Riverbank, 2 steps',
      '2 shared members: person-m2, 1 other',
      '3 shared tags: food, seeds, water',
      'visions 100 % alike',
      'same category: farming',
      '1 fork between them',
    ]);
  });

  it('never name a commune or member the viewer may not see', () => {
    fc.assert(
      fc.property(
        world,
        fc.subarray(['a', 'b', ...others]),
        fc.subarray(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']),
        ({ a, b, pairs, ties }, visibleCommunes, visibleMembers) => {
          const viewer: Viewer = {
            mayseeCommune: (c) => visibleCommunes.includes(c),
            mayseeMember: (m) => visibleMembers.includes(m),
            communeName: (c) => names[c] ?? c,
            memberName: memberNames,
          };
          const reasons = affinityReasons(
            'a',
            'b',
            affinityParts(a, b, network(a, b, pairs), ties),
            viewer,
          );
          if (!visibleCommunes.includes('a') || !visibleCommunes.includes('b')) {
            assert.equal(reasons, undefined);
            return;
          }
          const text = (reasons ?? []).join(' | ');
          for (const c of others)
            if (!visibleCommunes.includes(c)) assert.ok(!text.includes(names[c]!));
          for (const m of ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'])
            if (!visibleMembers.includes(m)) assert.ok(!text.includes(memberNames(m)));
        },
      ),
    );
  });
});
