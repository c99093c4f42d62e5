// Reads one thread to its end from many concurrent clients, in its own process so that parsing
// the pages costs the server's event loop nothing. Usage:
//   thread-readers.ts <base url> <thread id> <clients> <max page bytes>
// Prints one JSON line: for each client, what it saw.

type Page = { comments: { id: string }[]; next: string | null };

export type ReaderReport = {
  ids: number;
  ordered: boolean;
  pages: number;
  largestPage: number;
  overBudget: number;
  failures: string[];
};

async function readAll(
  base: string,
  thread: string,
  limit: number | null,
  maxBytes: number,
): Promise<ReaderReport> {
  const report: ReaderReport = {
    ids: 0,
    ordered: true,
    pages: 0,
    largestPage: 0,
    overBudget: 0,
    failures: [],
  };
  let last = '';
  let after: string | null = null;
  for (;;) {
    const query = new URLSearchParams();
    if (limit !== null) query.set('limit', String(limit));
    if (after !== null) query.set('after', after);
    const res = await fetch(`${base}/api/v1/threads/${thread}?${query}`);
    const text = await res.text();
    if (res.status !== 200) {
      report.failures.push(`${res.status} ${text.slice(0, 200)}`);
      return report;
    }
    const page = JSON.parse(text) as Page;
    report.pages += 1;
    const bytes = page.comments.reduce((n, c) => n + Buffer.byteLength(JSON.stringify(c)), 0);
    report.largestPage = Math.max(report.largestPage, Buffer.byteLength(text));
    if (page.comments.length > 1 && bytes > maxBytes) report.overBudget += 1;
    for (const c of page.comments) {
      if (c.id <= last) report.ordered = false;
      last = c.id;
      report.ids += 1;
    }
    if (page.next === null) return report;
    after = page.next;
  }
}

const [base, thread, clients, maxBytes] = process.argv.slice(2);
if (!base || !thread || !clients || !maxBytes)
  throw new Error('usage: <base> <thread> <clients> <max bytes>');
// Half the clients read as the web app does (default page size), half ask for the largest pages.
const reports = await Promise.all(
  Array.from({ length: Number(clients) }, (_, i) =>
    readAll(base, thread, i % 2 === 0 ? null : 200, Number(maxBytes)),
  ),
);
process.stdout.write(`${JSON.stringify(reports)}\n`);
