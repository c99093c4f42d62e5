// Shapes of the knowledge inventory API (API.md, "Knowledge inventory"). Written out from the
// contract while the routes land; fields the server may add later are optional here.
import { api, query, seg, type ApiError, type ApiResult } from './client.ts';
import type { Transfer } from './ledger.ts';
import type { Page, PersonRef } from './types.ts';

export const ITEM_KINDS = ['guide', 'skill', 'resource', 'offer', 'need', 'link'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];
export const ITEM_VISIBILITIES = ['commune', 'allies', 'public'] as const;
export type ItemVisibility = (typeof ITEM_VISIBILITIES)[number];
export const DEFAULT_LICENSE = 'CC-BY-SA-4.0';

export type ForkedFrom = {
  item: string;
  version: number;
  commune: string;
  author: PersonRef;
  /** The original's title, when the server sends it. */
  title?: string;
};

export type ItemFile = { sha256: string; name: string; type: string; size: number; url: string };

export type Item = {
  id: string;
  version: number;
  kind: ItemKind;
  title: string;
  body: string;
  html: string;
  tags: string[];
  visibility: ItemVisibility;
  license: string;
  url?: string | null;
  estimate?: number | null;
  author: PersonRef;
  commune: string;
  forkedFrom: ForkedFrom | null;
  createdAt: string;
  updatedAt: string;
  /** Set on a tombstone: title and attribution stay, body and files go. */
  deletedAt?: string | null;
  deleted?: boolean;
  /** The caller is its author or a steward of its commune. */
  canEdit?: boolean;
  files?: ItemFile[];
  /** How many thanked it: sent to the author only. */
  thanks?: number | null;
  /** Conversations opened from this offer or need, when the server links them. */
  conversations?: { thread: string; person?: PersonRef }[];
};

export type ItemVersion = {
  version: number;
  title: string;
  body?: string;
  html?: string;
  kind?: ItemKind;
  tags?: string[];
  editedBy?: PersonRef;
  editedAt?: string;
  author?: PersonRef;
  createdAt?: string;
};

/** One run of text, added, removed or the same in both versions. */
export type DiffPart = { op: 'same' | 'added' | 'removed'; text: string };

/** GET /items/{id}/diff: the title word by word, the body line by line, other fields whole. */
export type ItemDiff = {
  item: string;
  from: number;
  to: number;
  title: DiffPart[];
  body: DiffPart[];
  fields: { name: string; from: unknown; to: unknown }[];
};

export type ItemDraft = {
  kind: ItemKind;
  title: string;
  body: string;
  tags: string[];
  visibility: ItemVisibility;
  license: string;
  /** null clears it on an edit (only a link has a url, only offers and needs an estimate). */
  url?: string | null;
  estimate?: number | null;
};

export type Match = { item: Item; score?: number; sharedTags?: string[] } | Item;

export const isTombstone = (item: Pick<Item, 'deletedAt' | 'deleted'>) =>
  Boolean(item.deletedAt || item.deleted);

const communeItems = (commune: string) => `/communes/${seg(commune)}/items`;
const one = (id: string) => `/items/${seg(id)}`;

export const inventoryPaths = {
  list: (commune: string, o: { kind?: string; tag?: string; limit?: number } = {}) =>
    `${communeItems(commune)}${query({ kind: o.kind, tag: o.tag, limit: o.limit ? String(o.limit) : null })}`,
  item: one,
  versions: (id: string) => `${one(id)}/versions`,
  version: (id: string, n: number) => `${one(id)}/versions/${n}`,
  diff: (id: string, from: number, to: number) =>
    `${one(id)}/diff${query({ from: String(from), to: String(to) })}`,
  forks: (id: string) => `${one(id)}/forks`,
  files: (id: string) => `${one(id)}/files`,
  matches: (id: string) => `${one(id)}/matches`,
};

export type EditConflict = { error: ApiError; current: Item | null };

export const inventoryApi = {
  create: (commune: string, draft: ItemDraft) => api.post<Item>(communeItems(commune), draft),
  /**
   * Saves an edit made from `baseVersion`. A stale base comes back as a conflict with the
   * current version (when the server sends it), so the editor can show it and let the
   * person reapply their change.
   */
  async update(
    id: string,
    draft: ItemDraft,
    baseVersion: number,
  ): Promise<ApiResult<Item> | { ok: false; conflict: EditConflict }> {
    const r = await api.put<Item>(one(id), { ...draft, baseVersion });
    if (r.ok || r.error.code !== 'edit_conflict') return r;
    // The generic client keeps only code and message; read the current version again.
    const fresh = await api.get<Item>(one(id));
    return { ok: false, conflict: { error: r.error, current: fresh.ok ? fresh.value : null } };
  },
  remove: (id: string) => api.del(one(id)),
  fork: (id: string, commune: string) => api.post<Item>(`${one(id)}/forks`, { commune }),
  thank: (id: string, t: { id: string; amount: number; memo?: string }) =>
    api.post<Transfer>(`${one(id)}/thanks`, t),
  /** "I can help" on a need, "I'd like this" on an offer: opens (or reopens) a conversation. */
  converse: (id: string) =>
    api.post<{ thread?: string; id?: string; threadId?: string }>(`${one(id)}/conversations`, {}),
};

/** Uploads one file as multipart/form-data; the generic client speaks JSON only. */
export async function uploadFile(
  id: string,
  file: File,
  csrfToken: string | undefined,
): Promise<ApiResult<ItemFile>> {
  const form = new FormData();
  form.append('file', file, file.name);
  let res: Response;
  try {
    res = await fetch(`/api/v1${inventoryPaths.files(id)}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}) },
      body: form,
    });
  } catch {
    return {
      ok: false,
      error: { status: 0, code: 'network_error', message: 'Could not reach the server.' },
    };
  }
  const json: unknown = await res.json().catch(() => null);
  if (res.ok) return { ok: true, value: json as ItemFile };
  const e = (json as { error?: { code?: string; message?: string } } | null)?.error;
  return {
    ok: false,
    error: {
      status: res.status,
      code: e?.code ?? `http_${res.status}`,
      message:
        e?.message ??
        (res.status === 413
          ? 'The file is larger than allowed.'
          : `The server answered ${res.status}.`),
    },
  };
}

export type ItemPage = Page<Item>;
