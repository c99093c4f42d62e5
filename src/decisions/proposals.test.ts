import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { manualClock } from '../communes/communes.fixtures.ts';
import { availableDatabases } from '../db/testing.ts';
import {
  HOUR,
  communeOf,
  crew,
  hoursFrom,
  jobsOf,
  propose,
  proposed,
  vote,
} from './decisions.fixtures.ts';

for (const { kind, skip } of await availableDatabases()) {
  describe(`proposals on ${kind}`, { skip }, () => {
    let t: TestApp;
    const clock = manualClock();
    const c = crew();
    const tok = c.tok;
    const soon = (hours = 24) => hoursFrom(clock.now(), hours);
    before(async () => {
      t = await startTestApp(kind, { clock });
      await communeOf(t, c, 'orchard', ['ada', 'bo', 'cy', 'dee']);
      await communeOf(t, c, 'hidden', ['hal', 'ida'], { visibility: 'private' });
      c.tokens.out = await t.person('out');
    });
    after(() => t.close());

    it('creates a proposal with the contract fields and a live tally', async () => {
      const p = await proposed(t, tok('ada'), 'orchard', {
        title: 'Plant pears',
        body: 'By the wall',
        method: 'majority',
        options: ['pears', 'plums'],
        closesAt: soon(),
        topic: 'Garden',
      });
      for (const k of [
        'id',
        'commune',
        'title',
        'body',
        'author',
        'status',
        'method',
        'options',
        'closesAt',
        'opensAt',
        'quorum',
        'threshold',
        'anonymous',
        'hideResults',
        'topic',
        'tally',
        'outcome',
        'action',
        'createdAt',
        'closedAt',
        'viewerVote',
      ]) {
        assert.ok(k in p, `missing ${k}`);
      }
      assert.deepEqual(
        [p.commune, p.author, p.status, p.options, p.threshold, p.topic, p.action, p.closedAt],
        ['orchard', 'ada', 'open', ['pears', 'plums'], 0.5, 'garden', null, null],
      );
      assert.deepEqual(
        [p.tally.outcome, p.tally.eligible, p.tally.castWeight],
        ['undecided', 4, 0],
      );
      assert.deepEqual(p.viewerVote, { voted: false, vote: null, castAt: null, delegatedTo: null });
      const anyone = await t.get(`/api/v1/proposals/${p.id}`);
      assert.deepEqual([anyone.status, anyone.body.viewerVote], [200, null]);
    });

    it('replaces a vote cast again while open, and shows who carried what', async () => {
      const p = await proposed(t, tok('ada'), 'orchard', {
        title: 'Colour',
        method: 'majority',
        options: ['red', 'blue', 'green'],
        closesAt: soon(),
      });
      assert.equal((await vote(t, tok('bo'), p.id, { choice: 'red' })).status, 201);
      const again = await vote(t, tok('bo'), p.id, { choice: 'blue', reason: 'calmer' });
      assert.equal(again.status, 201);
      assert.deepEqual(again.body.viewerVote.vote, { choice: 'blue', reason: 'calmer' });
      assert.deepEqual(again.body.tally.counts, [
        { option: 'red', weight: 0 },
        { option: 'blue', weight: 1 },
        { option: 'green', weight: 0 },
      ]);
      assert.deepEqual(again.body.tally.carried, [{ voter: 'bo', weight: 1 }]);
      const ballots = await t.get(`/api/v1/proposals/${p.id}/votes`, tok('ada'));
      assert.deepEqual(
        ballots.body.items.map((b: { voter: string; vote: unknown; reason: string }) => [
          b.voter,
          b.vote,
          b.reason,
        ]),
        [['bo', { choice: 'blue' }, 'calmer']],
      );
      assert.equal(
        ballots.body.next,
        null,
        'a list of the contract: { items, next }, here always whole',
      );
    });

    // A vote closes a proposal early only once the result is settled and nobody can still
    // reconsider: anonymous ballots are final, named ones once every eligible member voted.
    it('keeps a proposal open after an objection from one of three; the objector may consent, and it passes once all have voted', async () => {
      await communeOf(t, c, 'trio', ['ada', 'bo', 'cy']);
      const p = await proposed(t, tok('ada'), 'trio', {
        title: 'Cut the oak',
        method: 'consent',
        closesAt: soon(),
      });
      const objected = await vote(t, tok('bo'), p.id, {
        position: 'object',
        reason: 'It shelters the birds',
      });
      assert.deepEqual(
        [objected.status, objected.body.status, objected.body.closedAt, objected.body.tally.closed],
        [201, 'open', null, false],
      );
      // Shown as counted, not as a rejection: the objection may yet be withdrawn.
      assert.deepEqual(
        [
          objected.body.tally.outcome,
          objected.body.tally.reason,
          objected.body.tally.counts.object,
        ],
        ['undecided', 'open', 1],
      );
      assert.equal(
        (await vote(t, tok('ada'), p.id, { position: 'consent' })).body.status,
        'open',
        'cy has not voted yet',
      );
      const withdrawn = await vote(t, tok('bo'), p.id, {
        position: 'consent',
        reason: 'We will plant two more',
      });
      assert.deepEqual(
        [withdrawn.status, withdrawn.body.status, withdrawn.body.viewerVote.vote],
        [201, 'open', { position: 'consent', reason: 'We will plant two more' }],
      );
      const last = await vote(t, tok('cy'), p.id, { position: 'consent' });
      assert.deepEqual(
        [
          last.body.status,
          last.body.tally.outcome,
          last.body.tally.closed,
          typeof last.body.closedAt,
        ],
        ['passed', 'passed', true, 'string'],
      );
      const late = await vote(t, tok('bo'), p.id, {
        position: 'object',
        reason: 'Second thoughts',
      });
      assert.deepEqual([late.status, late.body.error.code], [422, 'voting_ended']);
    });

    it('closes by itself as soon as the last member votes on a settled result, and not before', async () => {
      const p = await proposed(t, tok('ada'), 'orchard', {
        title: 'Compost bins',
        method: 'consent',
        closesAt: soon(),
      });
      for (const h of ['ada', 'bo', 'cy'])
        assert.equal((await vote(t, tok(h), p.id, { position: 'consent' })).body.status, 'open', h);
      const last = await vote(t, tok('dee'), p.id, { position: 'consent' });
      assert.deepEqual(
        [
          last.body.status,
          last.body.tally.outcome,
          last.body.tally.closed,
          typeof last.body.closedAt,
        ],
        ['passed', 'passed', true, 'string'],
      );
      // An objection settles consent, yet the others may still vote and the objector reconsider.
      const q = await proposed(t, tok('ada'), 'orchard', {
        title: 'Pave the path',
        method: 'consent',
        closesAt: soon(),
      });
      for (const [h, position] of [
        ['bo', 'object'],
        ['ada', 'consent'],
        ['cy', 'consent'],
      ] as const) {
        assert.equal(
          (await vote(t, tok(h), q.id, { position, reason: 'x' })).body.status,
          'open',
          h,
        );
      }
      const settled = await vote(t, tok('dee'), q.id, { position: 'consent' });
      assert.deepEqual(
        [
          settled.body.status,
          settled.body.tally.reason,
          settled.body.tally.closed,
          typeof settled.body.closedAt,
        ],
        ['rejected', 'objected', true, 'string'],
      );
      const late = await vote(t, tok('bo'), q.id, { position: 'consent' });
      assert.deepEqual([late.status, late.body.error.code], [422, 'voting_ended']);
    });

    it('closes an anonymous proposal as soon as the result is settled, since its ballots are final', async () => {
      const p = await proposed(t, tok('ada'), 'orchard', {
        title: 'Quiet hours',
        method: 'consent',
        closesAt: soon(),
        anonymous: true,
      });
      assert.equal(
        (await vote(t, tok('ada'), p.id, { position: 'consent' })).body.status,
        'open',
        'anyone else could still object',
      );
      const again = await vote(t, tok('ada'), p.id, { position: 'object', reason: 'x' });
      assert.deepEqual([again.status, again.body.error.code], [409, 'already_voted']);
      const objected = await vote(t, tok('bo'), p.id, { position: 'object', reason: 'Too early' });
      assert.deepEqual(
        [
          objected.body.status,
          objected.body.tally.reason,
          objected.body.tally.closed,
          typeof objected.body.closedAt,
        ],
        ['rejected', 'objected', true, 'string'],
      );
      const late = await vote(t, tok('cy'), p.id, { position: 'consent' });
      assert.deepEqual([late.status, late.body.error.code], [422, 'voting_ended']);
    });

    it('does not wait for the subject of a removal, who cannot vote on it', async () => {
      await communeOf(t, c, 'grove', ['ada', 'bo', 'cy', 'dee']);
      const p = await proposed(t, tok('ada'), 'grove', {
        title: 'Part ways with dee',
        action: { type: 'remove_member', params: { member: 'dee' } },
      });
      assert.equal(p.tally.eligible, 3);
      for (const h of ['ada', 'bo'])
        assert.equal((await vote(t, tok(h), p.id, { position: 'agree' })).body.status, 'open', h);
      const last = await vote(t, tok('cy'), p.id, { position: 'agree' });
      assert.deepEqual(
        [
          last.body.status,
          last.body.action.executed,
          last.body.action.result,
          typeof last.body.closedAt,
        ],
        ['passed', true, { removed: 'dee' }, 'string'],
      );
    });

    it('lets the author close an advisory poll early (marked closedEarly); others wait for settlement', async () => {
      const p = await proposed(t, tok('bo'), 'orchard', {
        title: 'Bees',
        method: 'majority',
        closesAt: soon(),
        quorum: 0.5,
      });
      await vote(t, tok('bo'), p.id, { choice: 'yes' });
      const stranger = await t.post(`/api/v1/proposals/${p.id}/close`, undefined, tok('cy'));
      assert.deepEqual([stranger.status, stranger.body.error.code], [403, 'author_or_steward']);
      // Three members may still vote: only the poll's author may end it before that.
      const bySteward = await t.post(`/api/v1/proposals/${p.id}/close`, undefined, tok('ada'));
      assert.deepEqual(
        [bySteward.status, bySteward.body.error.code, bySteward.body.error.details.notVoted],
        [422, 'not_settled', 3],
      );
      const closed = await t.post(`/api/v1/proposals/${p.id}/close`, undefined, tok('bo'));
      assert.deepEqual(
        [
          closed.status,
          closed.body.status,
          closed.body.tally.reason,
          closed.body.tally.closedEarly,
        ],
        [200, 'expired', 'quorum_not_met', true],
      );
      const twice = await t.post(`/api/v1/proposals/${p.id}/close`, undefined, tok('ada'));
      assert.deepEqual([twice.status, twice.body.error.code], [409, 'proposal_closed']);
      // Once every member has voted the result is settled: the last vote closes it, not early.
      const q = await proposed(t, tok('bo'), 'orchard', {
        title: 'Hens',
        method: 'majority',
        closesAt: soon(),
      });
      for (const m of ['cy', 'ada', 'bo']) await vote(t, tok(m), q.id, { choice: 'yes' });
      const last = await vote(t, tok('dee'), q.id, { choice: 'no' });
      assert.deepEqual(
        [last.body.status, last.body.tally.winner, last.body.tally.closedEarly],
        ['passed', 'yes', undefined],
      );
    });

    it('closes at closesAt through the job queue, whether or not anyone visits', async () => {
      const p = await proposed(t, tok('ada'), 'orchard', {
        title: 'Rain barrels',
        method: 'consensus',
        closesAt: soon(2),
      });
      await vote(t, tok('ada'), p.id, { position: 'agree' });
      await vote(t, tok('bo'), p.id, { position: 'agree' });
      await vote(t, tok('cy'), p.id, { position: 'disagree' });
      const jobs = jobsOf(t);
      await jobs.tick();
      assert.equal((await t.get(`/api/v1/proposals/${p.id}`)).body.status, 'open');
      clock.advance(2 * HOUR);
      await jobs.tick();
      const closed = await t.get(`/api/v1/proposals/${p.id}`);
      assert.deepEqual(
        [closed.body.status, closed.body.tally.reason, closed.body.tally.agreeShare],
        ['rejected', 'threshold_not_met', 2 / 3],
      );
    });

    it('hides results until the viewer voted, or until the close', async () => {
      const untilVote = await proposed(t, tok('ada'), 'orchard', {
        title: 'Secret-ish',
        method: 'majority',
        closesAt: soon(),
        hideResults: 'until_vote',
      });
      assert.equal(untilVote.tally, null);
      const voted = await vote(t, tok('bo'), untilVote.id, { choice: 'no' });
      assert.equal(voted.body.tally.castWeight, 1);
      assert.equal((await t.get(`/api/v1/proposals/${untilVote.id}`, tok('cy'))).body.tally, null);
      assert.equal((await t.get(`/api/v1/proposals/${untilVote.id}/votes`, tok('cy'))).status, 403);
      assert.equal((await t.get(`/api/v1/proposals/${untilVote.id}/votes`, tok('bo'))).status, 200);

      const untilClose = await proposed(t, tok('ada'), 'orchard', {
        title: 'Blind',
        method: 'majority',
        closesAt: soon(),
        hideResults: 'until_close',
      });
      assert.equal((await vote(t, tok('bo'), untilClose.id, { choice: 'yes' })).body.tally, null);
      const list = await t.get('/api/v1/communes/orchard/proposals?status=open', tok('bo'));
      assert.equal(list.body.items.find((p: { id: string }) => p.id === untilClose.id).tally, null);
      const closed = await t.post(
        `/api/v1/proposals/${untilClose.id}/close`,
        undefined,
        tok('ada'),
      );
      assert.deepEqual([closed.body.status, closed.body.tally.winner], ['passed', 'yes']);
    });

    it('lets the author decide an advice proposal, after which an outcome can be stated', async () => {
      const p = await proposed(t, tok('cy'), 'orchard', {
        title: 'New fence',
        method: 'advice',
        closesAt: soon(),
      });
      const noReason = await vote(t, tok('ada'), p.id, { position: 'concern' });
      assert.deepEqual([noReason.status, noReason.body.error.field], [400, 'reason']);
      await vote(t, tok('ada'), p.id, { position: 'concern', reason: 'Costly' });
      assert.equal(
        (await t.post(`/api/v1/proposals/${p.id}/close`, undefined, tok('cy'))).status,
        422,
      );
      const notAuthor = await t.post(
        `/api/v1/proposals/${p.id}/decide`,
        { decision: 'passed' },
        tok('ada'),
      );
      assert.deepEqual([notAuthor.status, notAuthor.body.error.code], [403, 'author_only']);
      const early = await t.post(
        `/api/v1/proposals/${p.id}/outcome`,
        { outcome: 'Built it' },
        tok('cy'),
      );
      assert.deepEqual([early.status, early.body.error.code], [422, 'still_open']);
      const decided = await t.post(
        `/api/v1/proposals/${p.id}/decide`,
        { decision: 'passed' },
        tok('cy'),
      );
      assert.deepEqual(
        [
          decided.status,
          decided.body.status,
          decided.body.authorDecision,
          decided.body.tally.reason,
        ],
        [200, 'passed', 'passed', 'author_decided'],
      );
      assert.equal(
        (await t.post(`/api/v1/proposals/${p.id}/outcome`, { outcome: 'x' }, tok('dee'))).status,
        403,
      );
      const stated = await t.post(
        `/api/v1/proposals/${p.id}/outcome`,
        { outcome: 'Built with reused wood' },
        tok('ada'),
      );
      assert.deepEqual(
        [stated.status, stated.body.outcome, stated.body.outcomeBy],
        [200, 'Built with reused wood', 'ada'],
      );
    });

    it('keeps a decision log: newest first, by status, in pages', async () => {
      // Enough of a log for three pages, three of it passed (other tests may add more).
      for (let i = 0; i < 7; i += 1) {
        const p = await proposed(t, tok('ada'), 'orchard', {
          title: `Log ${i}`,
          method: 'majority',
          closesAt: soon(),
        });
        if (i < 3)
          for (const m of ['ada', 'bo', 'cy', 'dee'])
            assert.equal((await vote(t, tok(m), p.id, { choice: 'yes' })).status, 201);
        if (i < 3) assert.equal((await t.get(`/api/v1/proposals/${p.id}`)).body.status, 'passed');
      }
      const all = await t.get('/api/v1/communes/orchard/proposals?limit=200');
      const ids = all.body.items.map((p: { id: string }) => p.id);
      assert.deepEqual(ids, [...ids].sort().reverse());
      const seen: string[] = [];
      let next: string | null = null;
      do {
        const page = await t.get(
          `/api/v1/communes/orchard/proposals?limit=3${next ? `&before=${next}` : ''}`,
        );
        seen.push(...page.body.items.map((p: { id: string }) => p.id));
        next = page.body.next;
      } while (next);
      assert.deepEqual(seen, ids);
      const passed = await t.get('/api/v1/communes/orchard/proposals?status=passed');
      assert.ok(passed.body.items.length >= 3);
      assert.ok(
        passed.body.items.every(
          (p: { status: string; tally: object }) => p.status === 'passed' && p.tally !== null,
        ),
      );
      assert.equal((await t.get('/api/v1/communes/orchard/proposals?status=maybe')).status, 400);
      assert.equal((await t.get('/api/v1/communes/orchard/proposals?before=nope')).status, 400);
    });

    it('answers 404 to outsiders on every route of a private commune', async () => {
      const p = await proposed(t, tok('hal'), 'hidden', {
        title: 'Quiet things',
        method: 'consent',
        closesAt: soon(),
      });
      const id = p.id;
      const routes: [string, (token?: string) => ReturnType<TestApp['call']>][] = [
        [
          'POST proposals',
          (x) => propose(t, x, 'hidden', { title: 'x', method: 'consent', closesAt: soon() }),
        ],
        ['GET proposals', (x) => t.get('/api/v1/communes/hidden/proposals', x)],
        ['GET proposal', (x) => t.get(`/api/v1/proposals/${id}`, x)],
        ['POST votes', (x) => vote(t, x, id, { position: 'consent' })],
        ['GET votes', (x) => t.get(`/api/v1/proposals/${id}/votes`, x)],
        ['POST close', (x) => t.post(`/api/v1/proposals/${id}/close`, undefined, x)],
        ['POST decide', (x) => t.post(`/api/v1/proposals/${id}/decide`, { decision: 'passed' }, x)],
        ['POST outcome', (x) => t.post(`/api/v1/proposals/${id}/outcome`, { outcome: 'x' }, x)],
        ['PUT delegation', (x) => t.put('/api/v1/communes/hidden/delegation', { to: 'hal' }, x)],
        ['GET delegations', (x) => t.get('/api/v1/communes/hidden/delegations', x)],
        ['GET governance', (x) => t.get('/api/v1/communes/hidden/governance', x)],
      ];
      for (const [label, call] of routes) {
        for (const who of [undefined, tok('out'), tok('ada')])
          assert.equal(
            (await call(who)).status,
            404,
            `${label} as ${who ? 'outsider' : 'anonymous'}`,
          );
        assert.notEqual((await call(tok('ida'))).status, 404, `${label} as member`);
      }
      assert.equal((await t.get(`/api/v1/proposals/${id}`, tok('ida'))).body.status, 'open');
    });
  });
}
