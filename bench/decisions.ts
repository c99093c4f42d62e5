// Benchmark of the decision rules and of closing: a Schulze tally of 150 voters × 50 options,
// delegation chains across 150 members, and the job queue closing 1,000 due proposals with
// actions (spend, credit limit, currency, charter) on SQLite and PostgreSQL.
// Run: npx node bench/decisions.ts   (BENCH_PROPOSALS, default 1000)
import { performance } from 'node:perf_hooks';
import { runBench } from './lib/bench.ts';
import { envNumber, printTable, round, writeResult } from './lib/report.ts';
import { closeDueProposals, type ClosingFigure } from './lib/closing.ts';
import { isPostgresReachable } from '../src/db/testing.ts';
import { resolveDelegation, type Delegation } from '../src/decisions/delegation.ts';
import { methods } from '../src/decisions/methods/index.ts';
import { tally as rankedTally, type RankedVote } from '../src/decisions/methods/ranked.ts';
import { schulze } from '../src/decisions/methods/schulze.ts';
import type { Ballot } from '../src/decisions/method-shapes.ts';

const VOTERS = 150;
const OPTIONS = 50;
/** Goals: a tally or a delegation pass must never be what makes voting feel slow. */
const GOAL_TALLY_MS = 50;
const GOAL_DELEGATION_MS = 2;
/** Closing a proposal and running its action: a commune's whole log closes in well under a minute. */
const GOAL_CLOSE_MS = 10;

/** Deterministic pseudo-random numbers (mulberry32), so every run counts the same ballots. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: readonly T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** 150 ballots; most rank every option, some only their top few (the rest count as last). */
function rankedBallots(): { options: string[]; ballots: Ballot<RankedVote>[] } {
  const next = random(150_50);
  const options = Array.from({ length: OPTIONS }, (_, i) => `option ${i + 1}`);
  const ballots = Array.from({ length: VOTERS }, (_, v) => {
    const order = shuffled(options, next);
    const ranking = next() < 0.7 ? order : order.slice(0, 1 + Math.floor(next() * 10));
    return { voter: `member-${v}`, weight: 1, vote: { ranking } };
  });
  return { options, ballots };
}

function delegationCases(): {
  name: string;
  delegations: Delegation[];
  directVoters: string[];
  topic: string | null;
}[] {
  const members = Array.from({ length: VOTERS }, (_, i) => `member-${i}`);
  const next = random(42);
  const chain = members.slice(0, -1).map((from, i) => ({ from, to: members[i + 1]!, topic: null }));
  // Everyone delegates somewhere (some per topic), a fifth vote: chains, fans and cycles.
  const web: Delegation[] = members.flatMap((from) => {
    const pick = () => members[Math.floor(next() * members.length)]!;
    const general = { from, to: pick(), topic: null };
    return next() < 0.3 ? [general, { from, to: pick(), topic: 'money' }] : [general];
  });
  return [
    {
      name: 'one chain through 150 members',
      delegations: chain,
      directVoters: [members.at(-1)!],
      topic: null,
    },
    {
      name: '150 members, random web, topic',
      delegations: web,
      directVoters: members.filter(() => next() < 0.2),
      topic: 'money',
    },
  ];
}

type Figure = {
  name: string;
  opsPerSecond: number;
  msPerOp: number;
  runs: number;
  goalMs: number | null;
};

/** Repeats `op` in timed samples of about `sampleMs` each; reports the median sample. */
function time(name: string, op: () => unknown, sampleMs: number, goalMs: number | null): Figure {
  for (let i = 0; i < 5; i++) op(); // warm the JIT
  const perSample: number[] = [];
  let runs = 0;
  for (let sample = 0; sample < 5; sample++) {
    let count = 0;
    const started = performance.now();
    let elapsed = 0;
    while (elapsed < sampleMs) {
      op();
      count++;
      elapsed = performance.now() - started;
    }
    runs += count;
    perSample.push(elapsed / count);
  }
  perSample.sort((a, b) => a - b);
  const msPerOp = perSample[2]!;
  return { name, opsPerSecond: round(1000 / msPerOp, 1), msPerOp: round(msPerOp, 4), runs, goalMs };
}

await runBench('decisions', async () => {
  const sampleMs = envNumber('BENCH_SAMPLE_MS', 400);
  const { options, ballots } = rankedBallots();
  const input = { options, ballots, eligible: VOTERS, quorum: 0.5, closed: true };
  const stored = { ...input, ballots: ballots.map((b) => ({ ...b, vote: b.vote as unknown })) };
  const indexBallots = ballots.map((b) => ({
    weight: b.weight,
    ranking: b.vote.ranking.map((o) => options.indexOf(o)),
  }));

  const figures: Figure[] = [
    time(
      `Schulze only, ${VOTERS} voters × ${OPTIONS} options`,
      () => schulze(OPTIONS, indexBallots),
      sampleMs,
      null,
    ),
    time(
      `ranked tally (Schulze + IRV + matrices)`,
      () => rankedTally(input),
      sampleMs,
      GOAL_TALLY_MS,
    ),
    time(
      `ranked tally via registry (re-checks votes)`,
      () => methods.ranked.tally(stored),
      sampleMs,
      GOAL_TALLY_MS,
    ),
  ];
  const members = Array.from({ length: VOTERS }, (_, i) => `member-${i}`);
  for (const c of delegationCases()) {
    figures.push(
      time(
        `delegation: ${c.name}`,
        () => resolveDelegation({ members, ...c }),
        sampleMs,
        GOAL_DELEGATION_MS,
      ),
    );
  }

  const winner = rankedTally(input).winner;
  printTable(
    figures.map((f) => ({
      benchmark: f.name,
      'ops/s': f.opsPerSecond,
      'ms/op': f.msPerOp,
      runs: f.runs,
      'goal ms': f.goalMs,
    })),
  );

  const proposals = envNumber('BENCH_PROPOSALS', 1000);
  const closing: ClosingFigure[] = [await closeDueProposals('sqlite', proposals)];
  if (await isPostgresReachable()) closing.push(await closeDueProposals('postgres', proposals));
  else console.log('PostgreSQL not reachable: closing measured on SQLite only');
  console.log(`\nclosing ${proposals} due proposals with actions through the job queue:`);
  printTable(
    closing.map((f) => ({
      database: f.database,
      proposals: f.proposals,
      executed: f.executed,
      seconds: f.seconds,
      'proposals/s': f.proposalsPerSecond,
      'ms/proposal': f.msPerProposal,
      'goal ms': GOAL_CLOSE_MS,
    })),
  );

  const pass =
    figures.every((f) => f.goalMs === null || f.msPerOp <= f.goalMs) &&
    closing.every((f) => f.executed === f.proposals && f.msPerProposal <= GOAL_CLOSE_MS);
  const path = writeResult('decisions', {
    voters: VOTERS,
    options: OPTIONS,
    sampleMs,
    schulzeWinner: winner,
    figures,
    closing: { goalMsPerProposal: GOAL_CLOSE_MS, figures: closing },
    pass,
  });
  console.log(`${pass ? 'met' : 'MISSED'} the goals; wrote ${path}`);
  return { pass };
});
