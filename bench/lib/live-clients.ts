// bench/live.ts's SSE clients, in a process of their own so that reading 1,000 streams does
// not share a CPU budget with the server or the writers. Driven over IPC:
//   ← { type: 'start', base, thread, token, count }   → { type: 'connected', count }
//   ← { type: 'count' } → { type: 'count', messages, reads, cpuMs }
//   ← { type: 'writes', writes: [id, sentAt, ackedAt][] } → { type: 'delays', … }, once every
//     event the writes made has arrived (the server may still be sending when the writers stop)
// Times are performance.timeOrigin + performance.now(): milliseconds comparable across processes.
// Reading is kept cheap (raw sockets; no JSON parsing: the id is found by its key), since this
// process shares the machine with the server it measures.
import { connect } from 'node:net';

type Start = { type: 'start'; base: string; thread: string; token: string; count: number };
type Writes = { type: 'writes'; writes: [string, number, number][] };
type Count = { type: 'count' };

const now = () => performance.timeOrigin + performance.now();
/** Per event id, when each client heard it. */
const heard = new Map<string, number[]>();
let ready = 0;
let messages = 0;
let reads = 0;

/** The comment's or transfer's id in one message's data, without parsing it. */
function idOf(block: string): string | undefined {
  for (const k of ['"comment":"', '"transfer":"']) {
    const at = block.indexOf(k);
    if (at >= 0) return block.slice(at + k.length, block.indexOf('"', at + k.length));
  }
  return undefined;
}

/**
 * One stream on a socket of its own, read raw: the server sends the stream's body as is until
 * it closes (no chunked encoding), so the messages are what follows the head.
 */
function follow(base: string, path: string, token: string | null, onReady: () => void): void {
  const url = new URL(`${base}/api/v1/events${path}`);
  const socket = connect({ host: url.hostname, port: Number(url.port) });
  socket.setEncoding('latin1');
  socket.write(
    `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n` +
      `${token ? `Authorization: Bearer ${token}\r\n` : ''}Accept: text/event-stream\r\n\r\n`,
  );
  let buffer = '';
  let head = true;
  let isReady = false;
  socket.on('data', (chunk: string) => {
    const at = now();
    reads += 1;
    buffer = buffer === '' ? chunk : buffer + chunk;
    let start = 0;
    if (head) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const lines = buffer.slice(0, end).toLowerCase();
      if (!lines.startsWith('http/1.1 200') || lines.includes('transfer-encoding: chunked'))
        throw new Error(`${path}: ${lines}`);
      head = false;
      start = end + 4;
    }
    let cut: number;
    while ((cut = buffer.indexOf('\n\n', start)) >= 0) {
      const block = buffer.slice(start, cut);
      start = cut + 2;
      messages += 1;
      if (!isReady && block.includes('event: ready')) {
        isReady = true;
        onReady();
      }
      const id = idOf(block);
      if (id === undefined) continue;
      let list = heard.get(id);
      if (!list) heard.set(id, (list = []));
      list.push(at);
    }
    buffer = start === buffer.length ? '' : buffer.slice(start);
  });
  socket.on('error', (e) => {
    console.error(`live client: ${e.message}`);
    process.exit(2);
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Resolves once no message has arrived for `quietMs` (at most `maxMs`). */
async function settled(quietMs: number, maxMs: number): Promise<void> {
  const deadline = Date.now() + maxMs;
  let seen = -1;
  while (seen !== messages && Date.now() < deadline) {
    seen = messages;
    await new Promise((resolve) => setTimeout(resolve, quietMs));
  }
}

process.on('message', async (m: Start | Writes | Count) => {
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
  if (m.type === 'count') {
    process.send!({ type: 'count', messages, reads, cpuMs: cpuMs() });
    return;
  }
  await settled(300, 10_000);
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
