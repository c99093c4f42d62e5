import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isUuid, newId } from './ids.ts';

const millis = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

describe('newId', () => {
  it('gives valid, unique, strictly increasing UUIDv7s for any order of clock readings', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1_700_000_000_000, max: 1_700_000_000_050 }), {
          minLength: 1,
          maxLength: 300,
        }),
        (clock) => {
          const before = newId();
          let last = before;
          for (const now of clock) {
            const id = newId(now);
            assert.ok(isUuid(id), id);
            assert.equal(id[14], '7', `version of ${id}`);
            assert.match(id[19]!, /[89ab]/, `variant of ${id}`);
            assert.ok(id > last, `${id} after ${last}`);
            last = id;
          }
        },
      ),
    );
  });

  it('keeps order past 4,096 ids in one millisecond by borrowing the next one', () => {
    const now = Date.now() + 60_000;
    const ids = Array.from({ length: 10_000 }, () => newId(now));
    for (let i = 1; i < ids.length; i += 1) assert.ok(ids[i]! > ids[i - 1]!, `id ${i}`);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(millis(ids[0]!), now);
    assert.equal(millis(ids.at(-1)!), now + 2);
  });
});
