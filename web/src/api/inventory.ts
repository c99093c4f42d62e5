// Shapes of the knowledge inventory API (API.md, "Knowledge inventory"), from the OpenAPI
// document (schema.gen.ts), and the calls the web app makes.
import { api, query, seg, type ApiError, type ApiResult } from './client.ts';
import type { Transfer } from './ledger.ts';
import type { Page, Schema } from './types.ts';

export type ItemFile = Schema<'ItemFile'>;
export type Item = Schema<'Item'>;
export type ItemKind = Item['kind'];
export type ItemVisibility = Item['visibility'];
export type ForkedFrom = NonNullable<Schema<'ForkedFrom'>>;
export type ItemVersion = Schema<'ItemVersionSummary'>;
/** The title word by word, the body line by line, other fields whole. */
export type ItemDiff = Schema<'ItemDiff'>;
export type DiffPart = Schema<'DiffPart'>;
/** How many thanked an item: for its author only. */
export type ThanksCount = Schema<'ItemThanksCount'>;
export type Conversation = Schema<'ItemConversation'>;
export type ConversationList = Schema<'ItemConversationList'>;
export type MatchList = Schema<'ItemMatchList'>;

export const ITEM_KINDS: readonly ItemKind[] = [
  'guide',
  'skill',
  'resource',
  'offer',
  'need',
  'link',
];
export const ITEM_VISIBILITIES: readonly ItemVisibility[] = ['commune', 'allies', 'public'];
export const DEFAULT_LICENSE = 'CC-BY-SA-4.0';

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

export const isTombstone = (item: Pick<Item, 'deletedAt'>) => Boolean(item.deletedAt);

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
  thanks: (id: string) => `${one(id)}/thanks`,
  conversations: (id: string) => `${one(id)}/conversations`,
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
  /** `fromCommune`: which of the giver's communes allied with the item's pays, through clearing. */
  thank: (id: string, t: { id: string; amount: number; memo?: string; fromCommune?: string }) =>
    api.post<Transfer>(`${one(id)}/thanks`, t),
  /** "I can help" on a need, "I'd like this" on an offer: opens (or reopens) a conversation. */
  converse: (id: string) => api.post<Conversation>(`${one(id)}/conversations`, {}),
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
