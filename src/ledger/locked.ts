import type { Deps } from '../deps.ts';
import { accountsRepository } from './accounts.repository.ts';
import { changed, snapshot, type AccountState } from './posting.ts';
import type { Executor } from '../db/transaction.ts';

/** The accounts one write has locked, and what they were when last saved. */
export class Locked {
  readonly byId: Map<string, AccountState>;
  #saved: Map<string, AccountState>;
  #members: Map<string, AccountState>;
  #owners: Map<string, AccountState>;
  constructor(states: AccountState[]) {
    this.byId = new Map(states.map((s) => [s.id, s]));
    this.#saved = new Map(states.map((s) => [s.id, snapshot(s)]));
    this.#members = new Map(states.filter((s) => s.kind === 'member').map((s) => [s.handle, s]));
    this.#owners = new Map(
      states.flatMap((s) => (s.ownerId === null ? [] : [[s.ownerId, s] as const])),
    );
  }
  get(id: string): AccountState | undefined {
    return this.byId.get(id);
  }
  get purse(): AccountState | undefined {
    for (const s of this.byId.values()) if (s.kind === 'purse') return s;
    return undefined;
  }
  member(handle: string): AccountState | undefined {
    return this.#members.get(handle);
  }
  owner(ownerId: string): AccountState | undefined {
    return this.#owners.get(ownerId);
  }
  /** The clearing account of an allied commune (owned by its commune id). */
  clearing(partnerId: string): AccountState | undefined {
    const a = this.#owners.get(partnerId);
    return a?.kind === 'clearing' ? a : undefined;
  }
  /** The accounts the rules changed since the last save, counted as saved from now on. */
  takeChanges(): AccountState[] {
    const out: AccountState[] = [];
    for (const s of this.byId.values()) {
      if (changed(s, this.#saved.get(s.id)!)) {
        out.push(s);
        this.#saved.set(s.id, snapshot(s));
      }
    }
    return out;
  }
  /** Writes back the accounts the rules changed since the last save. */
  async save(tx: Executor, deps: Deps): Promise<void> {
    const repo = accountsRepository(tx, deps.dialect);
    for (const s of this.byId.values()) {
      if (changed(s, this.#saved.get(s.id)!)) {
        await repo.save(s);
        this.#saved.set(s.id, snapshot(s));
      }
    }
  }
}
