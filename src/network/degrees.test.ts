import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { degreeBetween, graphOf, reachFrom } from './degrees.ts';

const chain = (n: number): [string, string][] =>
  Array.from({ length: n - 1 }, (_, i) => [`c${i}`, `c${i + 1}`]);

describe('degrees of separation', () => {
  it('count the steps along a chain and stop after 6', () => {
    const graph = graphOf(chain(10));
    for (let i = 1; i <= 6; i++) assert.equal(degreeBetween(graph, 'c0', `c${i}`)?.degree, i);
    assert.equal(degreeBetween(graph, 'c0', 'c7'), undefined);
    assert.deepEqual(degreeBetween(graph, 'c0', 'c3')?.through, ['c1', 'c2']);
    assert.deepEqual(degreeBetween(graph, 'c3', 'c0')?.through, ['c2', 'c1']);
  });

  it('put every leaf of a star two steps from every other, through the hub', () => {
    const graph = graphOf(['a', 'b', 'c', 'd'].map((leaf): [string, string] => ['hub', leaf]));
    assert.deepEqual(degreeBetween(graph, 'a', 'd'), { degree: 2, through: ['hub'] });
    assert.equal(degreeBetween(graph, 'hub', 'c')?.degree, 1);
    assert.equal(reachFrom(graph, 'a').size, 4);
  });

  it('find no degree between disconnected parts', () => {
    const graph = graphOf([
      ['a', 'b'],
      ['x', 'y'],
    ]);
    assert.equal(degreeBetween(graph, 'a', 'y'), undefined);
    assert.equal(degreeBetween(graph, 'a', 'nowhere'), undefined);
    assert.deepEqual([...reachFrom(graph, 'x').keys()], ['y']);
  });

  it('take the shorter way round a cycle', () => {
    const ring = chain(8);
    ring.push(['c7', 'c0']);
    const graph = graphOf(ring);
    assert.equal(degreeBetween(graph, 'c0', 'c7')?.degree, 1);
    assert.equal(degreeBetween(graph, 'c0', 'c4')?.degree, 4);
    assert.equal(degreeBetween(graph, 'c1', 'c6')?.degree, 3);
  });

  it('are symmetric and obey the triangle inequality on random graphs', () => {
    const node = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(node, node), { maxLength: 20 }),
        node,
        node,
        node,
        (pairs, x, y, z) => {
          const graph = graphOf(pairs);
          const d = (p: string, q: string): number =>
            degreeBetween(graph, p, q, 8)?.degree ?? Infinity;
          assert.equal(d(x, y), d(y, x));
          assert.ok(d(x, z) <= d(x, y) + d(y, z));
          const reach = degreeBetween(graph, x, y, 8);
          if (reach !== undefined && x !== y) assert.equal(reach.through.length, reach.degree - 1);
        },
      ),
    );
  });
});
