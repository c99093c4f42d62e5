import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { z } from 'zod';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { availableDatabases } from '../db/testing.ts';
import { parseWith } from './validate.ts';

// Validation messages are for people: zod's own wording ("Invalid input: expected string,
// received undefined", "Too small: expected string to have >=1 characters") never reaches a
// client, whatever the body; every field's message is in `fields` for the form beside it.

const ZOD_WORDING = /\bInvalid\b|\bexpected\b|\breceived\b|\bToo (small|big)\b|Unrecognized|[<>]=/;

const leaf = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('', ' ', 'x'.repeat(400), 'not a date', '00000000-0000-7000-8000-00000000000'),
);
const spoiled = fc.oneof(
  leaf,
  fc.array(leaf, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), leaf, { maxKeys: 3 }),
  fc.constant(undefined),
);

const uuid = () => crypto.randomUUID();
const future = () => new Date(Date.now() + 7 * 86_400_000).toISOString();
const TEMPLATES: Record<string, () => Record<string, unknown>> = {
  'POST /api/v1/accounts': () => ({ handle: `p${uuid().slice(0, 8)}`, password: 'long enough!' }),
  'POST /api/v1/sessions': () => ({ handle: 'plain', password: 'long enough!' }),
  'POST /api/v1/communes': () => ({
    handle: `c${uuid().replace(/-/g, '').slice(0, 12)}`,
    name: 'N',
    vision: 'V',
    category: 'other',
    tags: ['x'],
    joinPolicy: 'open',
    visibility: 'public',
    agreements: ['be kind'],
  }),
  'POST /api/v1/communes/plain/threads': () => ({ title: 'A title', body: 'Some text' }),
  'POST /api/v1/me/filters': () => ({ kind: 'word', value: 'w' }),
  'POST /api/v1/communes/plain/transfers': () => ({ id: uuid(), to: 'purse', amount: 1 }),
  'POST /api/v1/communes/plain/proposals': () => ({
    title: 'Plant trees',
    body: 'Where?',
    method: 'majority',
    options: ['north', 'south'],
    closesAt: future(),
  }),
  'POST /api/v1/communes/plain/items': () => ({
    kind: 'guide',
    title: 'How to',
    body: 'Like so',
    tags: [],
    visibility: 'commune',
  }),
};

const plain = (where: string, error: { message: string; fields?: Record<string, string> }) => {
  assert.doesNotMatch(error.message, ZOD_WORDING, where);
  for (const [field, message] of Object.entries(error.fields ?? {})) {
    assert.doesNotMatch(message, ZOD_WORDING, `${where} (${field})`);
    assert.ok(message.length > 0, `${where} (${field}) says something`);
  }
};

describe('plain validation messages (no database)', () => {
  const schema = z.object({
    name: z.string().min(1).max(5),
    count: z.number().int().min(2).max(150),
    kind: z.enum(['a', 'b']),
    tags: z.array(z.string()).max(2),
    when: z.iso.datetime(),
    id: z.uuid(),
    choice: z.discriminatedUnion('type', [
      z.object({ type: z.literal('x') }),
      z.object({ type: z.literal('y'), n: z.number() }),
    ]),
  });
  it('never uses zod’s wording, for any input', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const r = parseWith(schema, input);
        if (!r.ok) plain(JSON.stringify(input) ?? 'undefined', r.error);
      }),
      { numRuns: 300 },
    );
  });
  it('names each field and says what it needs', () => {
    const r = parseWith(schema, { name: '', count: 1.5, tags: 'x', kind: 'c' });
    assert.ok(!r.ok);
    assert.equal(r.error.field, 'name');
    assert.equal(r.error.message, 'name: must not be empty');
    assert.deepEqual(r.error.fields, {
      name: 'must not be empty',
      count: 'must be a whole number, not a number',
      kind: 'must be one of "a", "b"',
      tags: 'must be a list, not text',
      when: 'is required',
      id: 'is required',
      choice: 'is required',
    });
  });
});

for (const { kind, skip } of await availableDatabases()) {
  describe(`plain validation messages over HTTP on ${kind}`, { skip }, () => {
    let t: TestApp;
    let token: string;
    before(async () => {
      t = await startTestApp(kind);
      token = await t.person('plain');
      const made = await t.post('/api/v1/communes', TEMPLATES['POST /api/v1/communes']!(), token);
      assert.equal(made.status, 201);
      const c = await t.post(
        '/api/v1/communes',
        { ...TEMPLATES['POST /api/v1/communes']!(), handle: 'plain_c' },
        token,
      );
      assert.equal(c.status, 201);
    });
    after(() => t.close());

    it('answers every spoiled field of a valid body in plain words, with the field named', async () => {
      for (const [route, template] of Object.entries(TEMPLATES)) {
        const [method, rawPath] = route.split(' ') as [string, string];
        const path = rawPath.replace('/communes/plain/', '/communes/plain_c/');
        await fc.assert(
          fc.asyncProperty(fc.nat(), spoiled, async (k, v) => {
            const b = template();
            const keys = Object.keys(b);
            const target = keys[k % keys.length]!;
            if (v === undefined) delete b[target];
            else b[target] = v;
            const r = await t.call(method, path, b, token);
            assert.ok(r.status < 500, `${route} ${JSON.stringify(b)} → ${r.status}`);
            if (r.status !== 400) return;
            plain(`${route} ${JSON.stringify(b)}`, r.body.error);
            if (r.body.error.code !== 'malformed_json' && r.body.error.field !== undefined)
              assert.equal(typeof r.body.error.fields?.[r.body.error.field], 'string', route);
          }),
          { numRuns: 30 },
        );
      }
    });

    it('answers bodies of the wrong shape as a whole in plain words', async () => {
      await fc.assert(
        fc.asyncProperty(fc.jsonValue(), async (b) => {
          const r = await t.call('POST', '/api/v1/communes/plain_c/threads', b, token);
          assert.ok(r.status < 500);
          if (r.status === 400) plain(JSON.stringify(b), r.body.error);
        }),
        { numRuns: 60 },
      );
    });
  });
}
