// Reads a Server-Sent Events body as a test would watch it: every message kept in order,
// and next() waits (without sleeping) for the first one after the last taken that matches.
export type SseMessage = { id?: string; event: string; data: Record<string, unknown> };

export function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const messages: SseMessage[] = [];
  const waiters = new Set<() => void>();
  let buffer = '';
  let ended = false;
  let taken = 0;

  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const m: Partial<SseMessage> & { data?: Record<string, unknown> } = {};
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) m.id = line.slice(4);
            else if (line.startsWith('event: ')) m.event = line.slice(7);
            else if (line.startsWith('data: ')) m.data = JSON.parse(line.slice(6));
          }
          if (m.event) messages.push(m as SseMessage);
        }
        for (const w of waiters) w();
      }
    } catch {
      // cancelled or dropped: the stream is over
    }
    ended = true;
    for (const w of waiters) w();
  })();

  return {
    messages,
    get ended() {
      return ended;
    },
    /** The next message (after those already taken) that matches, within `timeoutMs`. */
    async next(
      match: (m: SseMessage) => boolean = () => true,
      timeoutMs = 30_000,
    ): Promise<SseMessage> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const i = messages.findIndex((m, n) => n >= taken && match(m));
        if (i >= 0) {
          taken = i + 1;
          return messages[i]!;
        }
        if (ended) throw new Error(`stream ended; seen ${JSON.stringify(messages)}`);
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(`no matching event in time; seen ${JSON.stringify(messages)}`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(done, left);
          function done() {
            clearTimeout(t);
            waiters.delete(done);
            resolve();
          }
          waiters.add(done);
        });
      }
    },
    close: () => reader.cancel().catch(() => undefined),
  };
}
export type SseReader = ReturnType<typeof sseReader>;

/** Events of one type (and optionally a field's value). */
export const isEvent =
  (event: string, fields: Record<string, unknown> = {}) =>
  (m: SseMessage) =>
    m.event === event && Object.entries(fields).every(([k, v]) => m.data[k] === v);
