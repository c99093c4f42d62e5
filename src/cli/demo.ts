// `commune seed --demo`: fills an empty instance with a small network that looks lived in.
// Everything goes through the HTTP API (app.request), so the demo obeys every rule a person
// would meet, and a clock that starts six weeks back gives the history real dates.
import { randomUUID } from 'node:crypto';
import { SingleBar, Presets } from 'cli-progress';
import { createApp, createContexts } from '../app.ts';
import type { Deps } from '../deps.ts';
import { jobRunner } from '../jobs/runner.ts';
import type { Clock } from '../shared/clock.ts';
import { DEMO_COMMUNES, DEMO_PASSWORD, DEMO_PEOPLE, type DemoCommune } from './demo-data.ts';
import { DemoError, tokenOf, type DemoCtx } from './demo-api.ts';
import { demoDecisions } from './demo-decisions.ts';

const HOUR = 3_600_000;
const HISTORY_DAYS = 45;

export type DemoSummary = { people: number; communes: number; requests: number };

/** A clock the seed moves forward by hand; it never runs ahead of the real one. */
function demoClock(real: Clock): Clock & { advance: (ms: number) => void; catchUp: () => void } {
  let at = real.now().getTime() - HISTORY_DAYS * 24 * HOUR;
  return {
    now: () => new Date(at),
    advance: (ms) => (at = Math.min(at + ms, real.now().getTime())),
    catchUp: () => (at = real.now().getTime()),
  };
}

export async function seedDemo(
  base: Omit<Deps, 'clock'> & { clock: Clock },
  options: { progress?: boolean } = {},
): Promise<DemoSummary> {
  const clock = demoClock(base.clock);
  const deps: Deps = { ...base, clock };
  const contexts = createContexts(deps);
  const app = createApp(deps, contexts);
  let requests = 0;

  const tokens = new Map<string, string>();
  const request = async (method: string, path: string, body: unknown, token?: string) => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    requests += 1;
    return app.request(`/api/v1${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  };
  const api: DemoCtx['api'] = async (method, path, body, token, expect = [200, 201, 204]) => {
    let res = await request(method, path, body, token);
    // Weeks pass on the demo clock, and sessions with them: sign in again and go on.
    const who = [...tokens].find(([, t]) => t === token)?.[0];
    if (res.status === 401 && who) {
      const s = await api('POST', '/sessions', { handle: who, password: DEMO_PASSWORD });
      tokens.set(who, s.token);
      res = await request(method, path, body, s.token);
    }
    const text = await res.text();
    const json = text ? (JSON.parse(text) as unknown) : null;
    if (!expect.includes(res.status))
      throw new DemoError(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the seed reads what it just wrote
    return json as any;
  };

  // Refuses to add a second demo to an instance that already has one (or its people).
  const taken = await api(
    'POST',
    '/accounts',
    { handle: DEMO_PEOPLE[0]!.handle, password: DEMO_PASSWORD },
    undefined,
    [201, 409],
  );
  if (taken?.error?.code === 'handle_taken')
    throw new DemoError(`@${DEMO_PEOPLE[0]!.handle} exists already: seed an empty database`);

  const steps = planSteps();
  const bar = options.progress
    ? new SingleBar(
        { format: 'demo {bar} {value}/{total} {step}', hideCursor: true },
        Presets.shades_classic,
      )
    : null;
  bar?.start(steps.length, 0, { step: '' });
  const ctx: DemoCtx = { api, tokens, clock, advance: (h) => clock.advance(h * HOUR) };
  try {
    for (const [name, run] of steps) {
      await run(ctx);
      bar?.increment(1, { step: name });
    }
  } finally {
    bar?.stop();
  }
  // Hands the background work (search index, subscribers) its due events now, not at start-up.
  await jobRunner(deps, contexts.jobs).drain();
  return { people: DEMO_PEOPLE.length, communes: DEMO_COMMUNES.length, requests };
}

type Step = [name: string, run: (ctx: DemoCtx) => Promise<void>];

function planSteps(): Step[] {
  const steps: Step[] = [];
  DEMO_PEOPLE.forEach((p, i) =>
    steps.push([
      `@${p.handle}`,
      async ({ api, tokens, advance }) => {
        if (i > 0) await api('POST', '/accounts', { handle: p.handle, password: DEMO_PASSWORD });
        const s = await api('POST', '/sessions', { handle: p.handle, password: DEMO_PASSWORD });
        tokens.set(p.handle, s.token);
        advance(0.5);
      },
    ]),
  );
  for (const c of DEMO_COMMUNES) steps.push([c.handle, (ctx) => foundAndJoin(ctx, c)]);
  for (const c of DEMO_COMMUNES) steps.push([`${c.handle} talk`, (ctx) => talkIn(ctx, c)]);
  for (const c of DEMO_COMMUNES) steps.push([`${c.handle} items`, (ctx) => shareItems(ctx, c)]);
  for (const c of DEMO_COMMUNES) steps.push([`${c.handle} payments`, (ctx) => pay(ctx, c)]);
  steps.push(...demoDecisions());
  return steps;
}

async function foundAndJoin(ctx: DemoCtx, c: DemoCommune): Promise<void> {
  const [founder, ...others] = c.members;
  const owner = tokenOf(ctx, founder!);
  const { handle, name, vision, category, tags, joinPolicy, visibility, agreements } = c;
  const charter = { handle, name, vision, category, tags, joinPolicy, visibility, agreements };
  await ctx.api('POST', '/communes', charter, owner);
  const admitted = [founder!];
  for (const m of others) {
    ctx.advance(1.5);
    // Open communes admit at once, invite-only ones by the founder's invite; application
    // communes open an admission proposal that the members decide.
    const inviteCode =
      c.joinPolicy !== 'invite'
        ? undefined
        : (await ctx.api('POST', `/communes/${c.handle}/invites`, undefined, owner)).code;
    const joined = await ctx.api(
      'POST',
      `/communes/${c.handle}/applications`,
      {
        acceptAgreements: true,
        message: `Hello from @${m}`,
        ...(inviteCode ? { inviteCode } : {}),
      },
      tokenOf(ctx, m),
    );
    if (joined.status === 'pending') await admit(ctx, c.handle, joined.id, admitted);
    admitted.push(m);
  }
}

/** In an application commune the members decide: everyone consents, so it settles at once. */
async function admit(ctx: DemoCtx, commune: string, application: string, members: string[]) {
  const open = await ctx.api(
    'GET',
    `/communes/${commune}/proposals?status=open`,
    undefined,
    tokenOf(ctx, members[0]!),
  );
  const proposal = open.items.find(
    (p: { action: { params: { application?: string } } | null }) =>
      p.action?.params.application === application,
  );
  if (!proposal) throw new DemoError(`no admission proposal for ${application} in ${commune}`);
  for (const m of members) {
    ctx.advance(0.5);
    await ctx.api(
      'POST',
      `/proposals/${proposal.id}/votes`,
      { position: 'consent' },
      tokenOf(ctx, m),
    );
  }
  // The last consent settles it; closing by hand only covers a slower job.
  await ctx.api(
    'POST',
    `/proposals/${proposal.id}/close`,
    undefined,
    tokenOf(ctx, members[0]!),
    [200, 409],
  );
}

async function talkIn(ctx: DemoCtx, c: DemoCommune): Promise<void> {
  for (const [n, t] of c.threads.entries()) {
    const author = c.members[n % c.members.length]!;
    ctx.advance(5);
    const thread = await ctx.api(
      'POST',
      `/communes/${c.handle}/threads`,
      { title: t.title, body: t.body },
      tokenOf(ctx, author),
    );
    let previous: string | undefined;
    for (const [r, body] of t.replies.entries()) {
      ctx.advance(1.5);
      const who = c.members[(n + r + 1) % c.members.length]!;
      const made = await ctx.api(
        'POST',
        `/threads/${thread.id}/comments`,
        { body, ...(previous && r % 2 === 1 ? { inReplyTo: previous } : {}) },
        tokenOf(ctx, who),
      );
      previous = made.id;
    }
  }
}

async function shareItems(ctx: DemoCtx, c: DemoCommune): Promise<void> {
  for (const [n, item] of c.items.entries()) {
    ctx.advance(2);
    const author = c.members[(n + 1) % c.members.length]!;
    await ctx.api(
      'POST',
      `/communes/${c.handle}/items`,
      { ...item, visibility: n === 0 ? 'public' : 'commune' },
      tokenOf(ctx, author),
    );
  }
}

const MEMOS = [
  'Seedlings',
  'Two hours of childcare',
  'Fixed the bike',
  'Soup night',
  'Lift to the station',
  'Sewing lesson',
];

async function pay(ctx: DemoCtx, c: DemoCommune): Promise<void> {
  const n = c.members.length;
  if (n < 2) return;
  for (let k = 0; k < Math.min(6, n * 2); k += 1) {
    ctx.advance(2);
    const from = c.members[k % n]!;
    const to = c.members[(k * 3 + 1) % n]!;
    if (from === to) continue;
    await ctx.api(
      'POST',
      `/communes/${c.handle}/transfers`,
      { id: randomUUID(), to, amount: 1 + ((k * 7) % 5), memo: MEMOS[k % MEMOS.length] },
      tokenOf(ctx, from),
    );
  }
}
