import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { isStorableText } from './text.ts';

const part = fc.string({ unit: 'binary' }).filter(isStorableText);
const encodeRaw = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('list cursors', () => {
  it('decode what they encode, with the same arity', () => {
    fc.assert(
      fc.property(fc.array(part, { maxLength: 4 }), (parts) => {
        assert.deepEqual(decodeCursor(encodeCursor(parts), parts.length), parts);
      }),
    );
  });

  it('refuse a cursor of another arity', () => {
    fc.assert(
      fc.property(fc.array(part, { maxLength: 4 }), fc.nat(5), (parts, arity) => {
        fc.pre(arity !== parts.length);
        assert.equal(decodeCursor(encodeCursor(parts), arity), undefined);
      }),
    );
  });

  it('never throw on garbage, and only decode arrays of storable strings', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.uint8Array().map((b) => Buffer.from(b).toString('base64url')),
          fc.jsonValue().map(encodeRaw),
        ),
        fc.nat(4),
        (cursor, arity) => {
          const parts = decodeCursor(cursor, arity);
          if (parts !== undefined) {
            assert.equal(parts.length, arity);
            for (const p of parts) assert.ok(typeof p === 'string' && isStorableText(p));
          }
        },
      ),
    );
  });

  it('refuse NUL, lone surrogates, non-strings, and what is not base64url JSON', () => {
    for (const bad of [
      encodeRaw(['a\u0000b', 'c']),
      encodeRaw(['\ud800', 'c']),
      encodeRaw(['a', 1]),
      encodeRaw(['a', null]),
      encodeRaw({ 0: 'a', 1: 'b', length: 2 }),
      encodeRaw('ab'),
      Buffer.from('["a","b"').toString('base64url'),
      'not a cursor!',
      '',
    ])
      assert.equal(decodeCursor(bad, 2), undefined, bad);
  });

  it('keep the format existing clients hold: base64url of a JSON array', () => {
    // A communes cursor handed out before the codec was shared must still decode.
    const old = Buffer.from(JSON.stringify(['Garden club', 'garden-club'])).toString('base64url');
    assert.equal(encodeCursor(['Garden club', 'garden-club']), old);
    assert.deepEqual(decodeCursor(old, 2), ['Garden club', 'garden-club']);
  });
});
