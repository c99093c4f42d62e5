// Liquid delegation, pure: who casts whose vote on one proposal.
//
// - A member lends their vote to another, for everything (topic null) or for one topic;
//   on a proposal with that topic the topic delegation replaces the general one.
// - Transitive: A → B → C and C voted: C's ballot carries A's and B's votes.
// - Voting directly overrides your own delegation; a direct voter's chain stops at them.
// - Cycles are broken: a chain that comes back on itself before reaching anyone who voted
//   casts nothing (A → B → A, neither voted: both votes stay uncast). Likewise a chain
//   ending at someone who neither voted nor delegates.
// - Excluded members (the subject of a removal) carry no weight and receive none: a
//   delegation to them is a dead end, not a hop (we do not guess where else it would go).

export type Delegation = { from: string; to: string; topic: string | null };

export type DelegationInput = {
  members: readonly string[];
  delegations: readonly Delegation[];
  /** The proposal's topic; null: only general delegations apply. */
  topic: string | null;
  /** Members who voted on this proposal themselves. */
  directVoters: Iterable<string>;
  /** Members who may not take part (e.g. the member a proposal would remove). */
  excluded?: Iterable<string>;
};

export type DelegationResult = {
  /** Members entitled to vote: members less the excluded. */
  eligible: number;
  /** Each member whose vote flows to a direct voter → that voter. Direct voters are not keys. */
  finalVoter: Map<string, string>;
  /** Each direct voter → the votes their ballot carries (1 + those who flow to them). */
  weights: Map<string, number>;
};

/** The delegate each member follows on this topic: a topic delegation wins over a general one. */
function chosenDelegates(
  delegations: readonly Delegation[],
  topic: string | null,
): Map<string, string> {
  const general = new Map<string, string>();
  const onTopic = new Map<string, string>();
  for (const d of delegations) {
    const into = d.topic === null ? general : d.topic === topic ? onTopic : null;
    if (into === null) continue;
    // Storage keeps one delegation per (member, topic); two means a bug upstream.
    if (into.has(d.from))
      throw new Error(`two delegations from ${d.from} for topic ${d.topic ?? '(all)'}`);
    into.set(d.from, d.to);
  }
  for (const [from, to] of onTopic) general.set(from, to);
  return general;
}

export function resolveDelegation(input: DelegationInput): DelegationResult {
  const excluded = new Set(input.excluded ?? []);
  const eligible = new Set(input.members.filter((m) => !excluded.has(m)));
  const direct = new Set([...input.directVoters].filter((v) => eligible.has(v)));
  const delegateOf = chosenDelegates(input.delegations, input.topic);

  // Where each member's vote ends up (null: nowhere), filled in along each walk so every
  // member is visited once: O(members + delegations).
  const settled = new Map<string, string | null>();
  for (const member of eligible) {
    const path: string[] = [];
    const onPath = new Set<string>();
    let at: string | undefined = member;
    let end: string | null = null;
    for (;;) {
      if (direct.has(at)) {
        end = at;
        break;
      }
      const known = settled.get(at);
      if (known !== undefined) {
        end = known;
        break;
      }
      if (onPath.has(at)) break; // a cycle that reached no direct voter
      onPath.add(at);
      path.push(at);
      const next: string | undefined = delegateOf.get(at);
      if (next === undefined || next === at || !eligible.has(next)) break;
      at = next;
    }
    for (const m of path) settled.set(m, end);
  }

  const finalVoter = new Map<string, string>();
  const weights = new Map<string, number>([...direct].map((v) => [v, 1]));
  for (const [member, voter] of settled) {
    if (voter === null) continue;
    finalVoter.set(member, voter);
    weights.set(voter, weights.get(voter)! + 1);
  }
  return { eligible: eligible.size, finalVoter, weights };
}
