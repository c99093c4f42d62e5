// bench/live.ts's SSE clients, in a process of their own so that reading 1,000 streams does
// not share a CPU budget with the server or the writers. Driven over IPC:
//   ← { type: 'start', base, thread, token, count }   → { type: 'connected', count }
//   ← { type: 'writes', writes: [id, sentAt, ackedAt][] } → { type: 'delays', … }
// Times are performance.timeOrigin + performance.now(): milliseconds comparable across processes.
import { request } from 'node:http';

type Start = { type: 'start'; base: string; thread: string; token: string; count: number };
type Writes = { type: 'writes'; writes: [string, number, number][] };

const now = () => performance.timeOrigin + performance.now();
/** Per event id, when each client heard it. */
const heard = new Map<string, number[]>();
let ready = 0;

function follow(base: string, path: string, token: string | null, onReady: () => void): void {
  const req = request(`${base}/api/v1/events${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    agent: false,
  });
  req.on('response', (res) => {
    if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode}`);
    res.setEncoding('utf8');
    let buffer = '';
    res.on('data', (chunk: string) => {
      const at = now();
      buffer += chunk;
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        if (block.includes('event: ready')) onReady();
        const data = block.split('\n').find((l) => l.startsWith('data: '));
        if (!data) continue;
        const e = JSON.parse(data.slice(6)) as { comment?: string; transfer?: string };
        const id = e.comment ?? e.transfer;
        if (id === undefined) continue;
        let list = heard.get(id);
        if (!list) heard.set(id, (list = []));
        list.push(at);
      }
    });
  });
  req.on('error', (e) => {
    console.error(`live client: ${e.message}`);
    process.exit(2);
  });
  req.end();
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

process.on('message', (m: Start | Writes) => {
  if (m.type === 'start') {
    // Half read the writers' thread anonymously, half follow the commune as a member (payments too).
    for (let i = 0; i < m.count; i += 1) {
      const asMember = i % 2 === 1;
      follow(
        m.base,
        asMember ? `?commune=bench_live` : `?thread=${m.thread}`,
        asMember ? m.token : null,
        () => {
          ready += 1;
          if (ready === m.count) process.send!({ type: 'connected', count: ready });
        },
      );
    }
    return;
  }
  const fromAck: number[] = [];
  const fromSend: number[] = [];
  let missing = 0;
  for (const [id, sentAt, ackedAt] of m.writes) {
    const times = heard.get(id) ?? [];
    if (times.length === 0) missing += 1;
    for (const t of times) {
      fromAck.push(Math.max(0, t - ackedAt));
      fromSend.push(t - sentAt);
    }
  }
  fromAck.sort((a, b) => a - b);
  fromSend.sort((a, b) => a - b);
  process.send!({
    type: 'delays',
    deliveries: fromAck.length,
    missing,
    ackP50: percentile(fromAck, 0.5),
    ackP99: percentile(fromAck, 0.99),
    ackMax: fromAck.at(-1) ?? 0,
    sendP50: percentile(fromSend, 0.5),
    sendP99: percentile(fromSend, 0.99),
  });
});
