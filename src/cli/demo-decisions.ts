// The demo's decisions: a proposal for every method and in every state, delegations, an
// executed action, two alliances decided on both sides with a payment across, and
// applications still waiting. Played through the API like the rest of the demo.
import { randomUUID } from 'node:crypto';
import { tokenOf, type DemoCtx } from './demo-api.ts';

type Step = [name: string, run: (ctx: DemoCtx) => Promise<void>];

const RIVERBANK = ['ada', 'bruno', 'chen', 'dara', 'elif', 'femi'];

const closesIn = (ctx: DemoCtx, hours: number) =>
  new Date(ctx.clock.now().getTime() + hours * 3_600_000).toISOString();

async function propose(ctx: DemoCtx, commune: string, author: string, body: object) {
  return ctx.api('POST', `/communes/${commune}/proposals`, body, tokenOf(ctx, author));
}

async function voteAll(ctx: DemoCtx, id: string, votes: [handle: string, vote: object][]) {
  for (const [who, vote] of votes) {
    ctx.advance(0.7);
    await ctx.api('POST', `/proposals/${id}/votes`, vote, tokenOf(ctx, who));
  }
}

/** Lets voting time run out, then closes: the result is whatever the votes made it. */
async function closeAfter(ctx: DemoCtx, id: string, by: string, hours: number) {
  ctx.advance(hours + 1);
  await ctx.api('POST', `/proposals/${id}/close`, undefined, tokenOf(ctx, by), [200, 409]);
}

const everyone = (members: string[], vote: object): [string, object][] =>
  members.map((m) => [m, vote]);

async function methodsInRiverbank(ctx: DemoCtx) {
  // consent, passed: nobody objects.
  const shed = await propose(ctx, 'riverbank', 'ada', {
    title: 'Build a seed library shed',
    body: 'A dry shed by the gate, so seeds survive the winter.',
    method: 'consent',
    closesAt: closesIn(ctx, 48),
  });
  await voteAll(ctx, shed.id, everyone(RIVERBANK, { position: 'consent' }));
  await closeAfter(ctx, shed.id, 'ada', 48);
  // consensus, rejected: one block with a reason.
  const hens = await propose(ctx, 'riverbank', 'bruno', {
    title: 'Keep hens on the top terrace',
    body: 'Six hens, eggs shared, coop built from pallets.',
    method: 'consensus',
    closesAt: closesIn(ctx, 72),
  });
  await voteAll(ctx, hens.id, [
    ['bruno', { position: 'agree' }],
    ['ada', { position: 'agree' }],
    [
      'chen',
      { position: 'block', reason: 'Foxes took the last flock; we need a proper fence first.' },
    ],
    ['dara', { position: 'abstain' }],
  ]);
  await closeAfter(ctx, hens.id, 'bruno', 72);
  // ranked, passed: a winner by Schulze.
  const crop = await propose(ctx, 'riverbank', 'chen', {
    title: 'Main crop for the lower beds',
    method: 'ranked',
    options: ['Potatoes', 'Squash', 'Beans'],
    closesAt: closesIn(ctx, 48),
  });
  await voteAll(ctx, crop.id, [
    ['chen', { ranking: ['Beans', 'Squash', 'Potatoes'] }],
    ['ada', { ranking: ['Squash', 'Beans', 'Potatoes'] }],
    ['dara', { ranking: ['Beans', 'Potatoes', 'Squash'] }],
    ['elif', { ranking: ['Beans', 'Squash', 'Potatoes'] }],
  ]);
  await closeAfter(ctx, crop.id, 'chen', 48);
  // time, expired: too few answered to meet the quorum.
  const day = await propose(ctx, 'riverbank', 'dara', {
    title: 'Harvest festival day',
    method: 'time',
    options: ['Sat 20 Sep', 'Sun 21 Sep', 'Sat 27 Sep'],
    quorum: 0.75,
    closesAt: closesIn(ctx, 48),
  });
  await voteAll(ctx, day.id, [['dara', { available: ['Sat 20 Sep', 'Sat 27 Sep'] }]]);
  await closeAfter(ctx, day.id, 'dara', 48);
  // advice, decided by its author after hearing everyone.
  const rota = await propose(ctx, 'riverbank', 'elif', {
    title: 'Move watering to the evening',
    body: 'Less evaporation; I would like your advice before I change the rota.',
    method: 'advice',
    closesAt: closesIn(ctx, 24),
  });
  await voteAll(ctx, rota.id, [
    ['ada', { position: 'support', reason: 'Evenings are cooler, yes.' }],
    ['femi', { position: 'concern', reason: 'Slugs like damp evenings.' }],
  ]);
  ctx.advance(25);
  await ctx.api(
    'POST',
    `/proposals/${rota.id}/decide`,
    { decision: 'passed' },
    tokenOf(ctx, 'elif'),
  );
}

async function delegations(ctx: DemoCtx) {
  await ctx.api('PUT', '/communes/riverbank/delegation', { to: 'ada' }, tokenOf(ctx, 'femi'));
  await ctx.api('PUT', '/communes/open_ledger/delegation', { to: 'nia' }, tokenOf(ctx, 'quinn'));
}

async function openLedgerDecisions(ctx: DemoCtx) {
  // majority with an action, passed and executed: newcomers start at -10 hours.
  const limit = await propose(ctx, 'open_ledger', 'mateo', {
    title: 'Newcomers start at −10 hours',
    body: 'As discussed in the thread on credit limits.',
    action: { type: 'set_credit_limit', params: { member: 'default', limit: 10 } },
  });
  await voteAll(ctx, limit.id, [
    ['mateo', { choice: 'yes' }],
    ['nia', { choice: 'yes' }],
    ['rosa', { choice: 'no' }],
    ['jo', { choice: 'yes' }],
  ]);
  await closeAfter(ctx, limit.id, 'mateo', 24 * 7);
  // majority motion, rejected.
  const fee = await propose(ctx, 'open_ledger', 'rosa', {
    title: 'Charge a joining fee of 2 hours',
    method: 'majority',
    closesAt: closesIn(ctx, 48),
  });
  await voteAll(ctx, fee.id, [
    ['rosa', { choice: 'yes' }],
    ['mateo', { choice: 'no' }],
    ['nia', { choice: 'no' }],
    ['jo', { choice: 'no' }],
  ]);
  await closeAfter(ctx, fee.id, 'rosa', 48);
}

/** Proposals still open when the demo ends: score and allocation, half voted. */
async function openProposals(ctx: DemoCtx) {
  const retreat = await propose(ctx, 'quiet_pines', 'greta', {
    title: 'Where should the winter retreat be?',
    method: 'score',
    options: ['The hill hut', 'The old school', 'At home, online'],
    closesAt: closesIn(ctx, 24 * 5),
  });
  await voteAll(ctx, retreat.id, [
    ['greta', { scores: { 'The hill hut': 5, 'The old school': 3, 'At home, online': 1 } }],
    ['omar', { scores: { 'The hill hut': 4, 'The old school': 4, 'At home, online': 2 } }],
  ]);
  const budget = await propose(ctx, 'open_ledger', 'nia', {
    title: 'What should the shared hours fund this year?',
    method: 'allocation',
    options: ['Tool library', 'Childcare swap', 'Repair café'],
    budget: 10,
    closesAt: closesIn(ctx, 24 * 6),
  });
  await voteAll(ctx, budget.id, [
    ['nia', { allocation: { 'Tool library': 4, 'Childcare swap': 6 } }],
  ]);
}

/** An alliance decided on both sides, then a payment across it. */
async function ally(
  ctx: DemoCtx,
  a: string,
  aMembers: string[],
  b: string,
  bMembers: string[],
  rate: number,
) {
  const asked = await propose(ctx, a, aMembers[0]!, {
    title: `Ally with ${b}`,
    body: 'We already share tools and people; let us trade hours too.',
    action: { type: 'form_alliance', params: { commune: b, tradeLimit: 200, rate } },
  });
  await voteAll(ctx, asked.id, everyone(aMembers, { position: 'consent' }));
  await ctx.api(
    'POST',
    `/proposals/${asked.id}/close`,
    undefined,
    tokenOf(ctx, aMembers[0]!),
    [200, 409],
  );
  const open = await ctx.api(
    'GET',
    `/communes/${b}/proposals?status=open`,
    undefined,
    tokenOf(ctx, bMembers[0]!),
  );
  const mirrored = open.items.find(
    (p: { action: { type: string } | null }) => p.action?.type === 'form_alliance',
  );
  await voteAll(ctx, mirrored.id, everyone(bMembers, { position: 'consent' }));
  await ctx.api(
    'POST',
    `/proposals/${mirrored.id}/close`,
    undefined,
    tokenOf(ctx, bMembers[0]!),
    [200, 409],
  );
  ctx.advance(6);
  await ctx.api(
    'POST',
    `/communes/${a}/transfers`,
    {
      id: randomUUID(),
      to: bMembers[1],
      toCommune: b,
      amount: 5,
      memo: 'Thanks for the help across the river',
    },
    tokenOf(ctx, aMembers[1]!),
  );
}

/** Applications still waiting for their admission decision, made at the real time. */
async function pendingApplications(ctx: DemoCtx) {
  ctx.clock.catchUp();
  await ctx.api(
    'POST',
    '/communes/riverbank/applications',
    { acceptAgreements: true, message: 'I garden on the next street and would love to join.' },
    tokenOf(ctx, 'yusuf'),
  );
  await ctx.api(
    'POST',
    '/communes/quiet_pines/applications',
    { acceptAgreements: true, message: 'I have sat with a group in Kyoto for years.' },
    tokenOf(ctx, 'hana'),
  );
}

export function demoDecisions(): Step[] {
  return [
    ['riverbank decisions', methodsInRiverbank],
    ['delegations', delegations],
    ['open_ledger decisions', openLedgerDecisions],
    [
      'alliance riverbank–tidewater',
      (ctx) => ally(ctx, 'riverbank', RIVERBANK, 'tidewater', ['sami', 'tove', 'chen', 'uma'], 1),
    ],
    [
      'alliance hearth–makers_guild',
      (ctx) =>
        ally(
          ctx,
          'hearth',
          ['hana', 'ivo', 'jo', 'ada', 'kofi'],
          'makers_guild',
          ['ivo', 'quinn', 'sami', 'wren', 'yusuf'],
          1.5,
        ),
    ],
    ['open proposals', openProposals],
    ['pending applications', pendingApplications],
  ];
}
