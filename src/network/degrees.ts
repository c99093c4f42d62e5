// Degrees of separation in the alliance graph: breadth first, bounded, no I/O.

export type AllianceGraph = ReadonlyMap<string, readonly string[]>;

export const MAX_DEGREE = 6;

export type Reach = {
  readonly degree: number;
  /** Communes between the start and this one, nearest the start first. */
  readonly through: readonly string[];
};

/** Builds an undirected adjacency list from alliance pairs (an alliance binds both ways). */
export const graphOf = (pairs: Iterable<readonly [string, string]>): AllianceGraph => {
  const adjacency = new Map<string, string[]>();
  const link = (a: string, b: string): void => {
    const list = adjacency.get(a);
    if (list === undefined) adjacency.set(a, [b]);
    else if (!list.includes(b)) list.push(b);
  };
  for (const [a, b] of pairs) {
    if (a === b) continue;
    link(a, b);
    link(b, a);
  }
  return adjacency;
};

/** Every commune within `maxDegree` steps of `start` (the start itself excluded). */
export const reachFrom = (
  graph: AllianceGraph,
  start: string,
  maxDegree: number = MAX_DEGREE,
): Map<string, Reach> => {
  const parent = new Map<string, string | null>([[start, null]]);
  const reached = new Map<string, Reach>();
  let frontier = [start];
  for (let degree = 1; degree <= maxDegree && frontier.length > 0; degree++) {
    const next: string[] = [];
    for (const node of frontier) {
      for (const neighbour of graph.get(node) ?? []) {
        if (parent.has(neighbour)) continue;
        parent.set(neighbour, node);
        next.push(neighbour);
        reached.set(neighbour, { degree, through: pathBetween(parent, start, node) });
      }
    }
    frontier = next;
  }
  return reached;
};

const pathBetween = (
  parent: ReadonlyMap<string, string | null>,
  start: string,
  last: string,
): string[] => {
  const path: string[] = [];
  for (let node: string | null | undefined = last; node !== start && node != null;) {
    path.push(node);
    node = parent.get(node);
  }
  return path.reverse();
};

/** The degree between two communes, or undefined when farther than `maxDegree` or unlinked. */
export const degreeBetween = (
  graph: AllianceGraph,
  a: string,
  b: string,
  maxDegree: number = MAX_DEGREE,
): Reach | undefined => {
  if (a === b) return { degree: 0, through: [] };
  return reachFrom(graph, a, maxDegree).get(b);
};
