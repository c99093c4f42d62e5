import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseTags } from './labels.ts';

// Run with: npx node --test web/src/inventory/labels.test.ts
describe('tags as typed', () => {
  it('splits on commas, trims, drops the # and lower-cases', () => {
    assert.deepEqual(parseTags(' #Bread, raised beds ,,TOOLS, bread'), [
      'bread',
      'raised beds',
      'tools',
    ]);
    assert.deepEqual(parseTags(''), []);
    assert.deepEqual(parseTags(' , # ,'), []);
  });

  it('gives back the tags it was given, in order, whatever they are', () => {
    const tag = fc
      .string({ minLength: 1, maxLength: 20 })
      .map((s) => s.replace(/[,#]/g, '').trim().toLowerCase())
      // Only tags that lower-casing leaves as they are: the function lower-cases.
      .filter((s) => s.length > 0 && s === s.toLowerCase().trim());
    fc.assert(
      fc.property(fc.uniqueArray(tag, { maxLength: 8 }), fc.boolean(), (tags, hash) => {
        const typed = tags.map((t) => ` ${hash ? '#' : ''}${t} `).join(',');
        assert.deepEqual(parseTags(typed), tags);
      }),
    );
  });
});
