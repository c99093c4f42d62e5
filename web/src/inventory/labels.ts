import type { ItemKind, ItemVisibility } from '../api/inventory.ts';
import { query } from '../api/client.ts';

export const KIND_LABELS: Record<ItemKind, string> = {
  guide: 'Guide',
  skill: 'Skill',
  resource: 'Resource',
  offer: 'Offer',
  need: 'Need',
  link: 'Link',
};

export const KIND_HINTS: Record<ItemKind, string> = {
  guide: 'How to do something, written down for the others.',
  skill: 'Something you know how to do and could teach or lend a hand with.',
  resource: 'Plans, documents or other files the commune keeps.',
  offer: 'Something you can give or do for others.',
  need: 'Something you are looking for.',
  link: 'A page elsewhere worth keeping.',
};

export const ITEM_VISIBILITY_LABELS: Record<ItemVisibility, string> = {
  commune: 'Members of this commune',
  allies: 'This commune and its allies',
  public: 'Anyone',
};

export const communeItemsPath = (
  handle: string,
  o: { kind?: string | null; tag?: string | null } = {},
) => `/communes/${encodeURIComponent(handle)}/inventory${query({ kind: o.kind, tag: o.tag })}`;

export const newItemPath = (handle: string, kind?: ItemKind) =>
  `/communes/${encodeURIComponent(handle)}/inventory/new${query({ kind })}`;

export const boardPath = (handle: string) => `/communes/${encodeURIComponent(handle)}/board`;

export const itemPath = (id: string) => `/items/${encodeURIComponent(id)}`;
export const editItemPath = (id: string) => `${itemPath(id)}/edit`;

/** "#garden, raised beds , #Tools" → ["garden", "raised beds", "tools"]: lower case, no duplicates. */
export function parseTags(text: string): string[] {
  const tags = text
    .split(',')
    .map((t) => t.trim().replace(/^#/, '').trim().toLowerCase())
    .filter(Boolean);
  return [...new Set(tags)];
}

export const needsEstimate = (kind: ItemKind) => kind === 'offer' || kind === 'need';
