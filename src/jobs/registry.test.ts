import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { jobRegistry } from './registry.ts';

describe('job registry', () => {
  it('holds one handler per kind, one-off or recurring', async () => {
    const ran: string[] = [];
    const jobs = jobRegistry()
      .handle('close', async (j) => void ran.push(j.key))
      .every({ kind: 'sweep', everyMs: 1000, run: async () => void ran.push('sweep') });
    await jobs.handlerOf('close')!({ id: 'j', kind: 'close', key: 'p1', runAt: '', attempts: 1 });
    await jobs.recurringOf('sweep')!.run();
    assert.deepEqual(ran, ['p1', 'sweep']);
    assert.equal(jobs.handlerOf('sweep'), undefined);
    assert.deepEqual(
      jobs.recurring().map((r) => r.kind),
      ['sweep'],
    );
    assert.throws(() => jobs.handle('sweep', async () => {}), /registered already/);
    assert.throws(
      () => jobs.every({ kind: 'close', everyMs: 1, run: async () => {} }),
      /registered already/,
    );
  });

  it('keeps the job runner free of every context: contexts register with it', () => {
    const dir = new URL('.', import.meta.url);
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.includes('.test.'));
    assert.ok(sources.includes('runner.ts'));
    const contexts = /from '\.\.\/(communes|decisions|ledger|discussions|identity|events|app)\b/;
    for (const f of sources) {
      const text = readFileSync(new URL(f, dir), 'utf8');
      assert.doesNotMatch(text, contexts, `${f} imports a context`);
    }
  });
});
