// Items of the knowledge inventory: their fields, limits and the rules between fields. No I/O.
import spdxIds from 'spdx-license-ids/index.json' with { type: 'json' };
import { z } from 'zod';
import type { ItemKind, ItemVisibility } from '../db/schema.inventory.ts';
import { safeHref } from '../shared/markdown.ts';
import { ok, type AppError, type Result } from '../shared/result.ts';
import { storableText } from '../shared/text.ts';
import { inventoryFail } from './inventory.errors.ts';

export type { ItemKind, ItemVisibility };

export const ITEM_KINDS = ['guide', 'skill', 'resource', 'offer', 'need', 'link'] as const;
export const ITEM_VISIBILITIES = ['commune', 'allies', 'public'] as const;
/** Kinds that may carry an estimate in the commune's currency. */
export const ESTIMATE_KINDS: readonly ItemKind[] = ['offer', 'need'];

export const MAX_TITLE_CHARS = 200;
/** Markdown source, in characters (a full page of a guide is ~20k). */
export const MAX_BODY_CHARS = 100_000;
export const MAX_TAGS = 20;
export const MAX_TAG_CHARS = 40;
export const MAX_URL_CHARS = 2000;
/** In the currency's smallest unit; far above any real offer, far below unsafe integers. */
export const MAX_ESTIMATE = 1_000_000_000_000;
export const DEFAULT_LICENSE = 'CC-BY-SA-4.0';

const LICENSES: ReadonlySet<string> = new Set(spdxIds);
export const isKnownLicense = (id: string): boolean => LICENSES.has(id);

/** http and https only: a link item is stored and shown, never fetched, but never javascript:. */
export function isWebUrl(s: string): boolean {
  const href = safeHref(s);
  return href !== null && (href.startsWith('http://') || href.startsWith('https://'));
}

const text = storableText;
const tag = text().trim().toLowerCase().min(1).max(MAX_TAG_CHARS);

const fields = {
  kind: z.enum(ITEM_KINDS),
  title: text().trim().min(1).max(MAX_TITLE_CHARS),
  body: text().max(MAX_BODY_CHARS, `must be at most ${MAX_BODY_CHARS} characters`),
  tags: z
    .array(tag)
    .max(MAX_TAGS)
    .transform((t) => [...new Set(t)]),
  visibility: z.enum(ITEM_VISIBILITIES),
  license: text().max(100).refine(isKnownLicense, 'must be an SPDX license id (e.g. CC-BY-SA-4.0)'),
  url: text().trim().max(MAX_URL_CHARS).refine(isWebUrl, 'must be an http or https URL'),
  estimate: z.number().int().min(0).max(MAX_ESTIMATE),
};

export const itemInputSchema = z
  .object({
    ...fields,
    body: fields.body.default(''),
    tags: fields.tags.default([]),
    license: fields.license.default(DEFAULT_LICENSE),
    url: fields.url.optional(),
    estimate: fields.estimate.optional(),
  })
  .meta({ id: 'ItemInput' });
export type ItemInput = z.infer<typeof itemInputSchema>;

/** An edit names what changes; the rest stays. null clears url or estimate. */
export const itemEditSchema = z
  .object({
    baseVersion: z.number().int().min(1).meta({ description: 'The version the edit started from' }),
    kind: fields.kind.optional(),
    title: fields.title.optional(),
    body: fields.body.optional(),
    tags: fields.tags.optional(),
    visibility: fields.visibility.optional(),
    license: fields.license.optional(),
    url: fields.url.nullable().optional(),
    estimate: fields.estimate.nullable().optional(),
  })
  .meta({ id: 'ItemEdit' });
export type ItemEdit = z.infer<typeof itemEditSchema>;

/** What one version of an item holds. */
export type ItemContent = {
  kind: ItemKind;
  title: string;
  body: string;
  tags: string[];
  visibility: ItemVisibility;
  license: string;
  url: string | null;
  estimate: number | null;
};

export const contentOf = (i: ItemInput): ItemContent => ({
  kind: i.kind,
  title: i.title,
  body: i.body,
  tags: i.tags,
  visibility: i.visibility,
  license: i.license,
  url: i.url ?? null,
  estimate: i.estimate ?? null,
});

/** The current content with an edit applied (before the rules between fields are checked). */
export function applyEdit(current: ItemContent, e: ItemEdit): ItemContent {
  return {
    kind: e.kind ?? current.kind,
    title: e.title ?? current.title,
    body: e.body ?? current.body,
    tags: e.tags ?? current.tags,
    visibility: e.visibility ?? current.visibility,
    license: e.license ?? current.license,
    url: e.url === undefined ? current.url : e.url,
    estimate: e.estimate === undefined ? current.estimate : e.estimate,
  };
}

/**
 * The rules between fields and with the commune: a URL belongs to a link (and a link needs
 * one), an estimate to an offer or a need, and a private commune has no public items.
 */
export function checkContent(
  c: ItemContent,
  communeIsPrivate: boolean,
): Result<ItemContent, AppError> {
  if (c.kind === 'link' && c.url === null)
    return inventoryFail('invalid_url', 'A link needs a url (http or https)', { field: 'url' });
  if (c.kind !== 'link' && c.url !== null)
    return inventoryFail('invalid_url', 'Only a link carries a url', { field: 'url' });
  if (c.estimate !== null && !ESTIMATE_KINDS.includes(c.kind))
    return inventoryFail('invalid_estimate', 'Only an offer or a need carries an estimate', {
      field: 'estimate',
    });
  if (communeIsPrivate && c.visibility === 'public')
    return inventoryFail(
      'public_in_private_commune',
      'A private commune cannot have public items; choose commune or allies',
      { field: 'visibility' },
    );
  return ok(c);
}

// Validation failures name the field in the code, where clients most often go wrong.
const FIELD_CODES: Record<string, string> = {
  kind: 'invalid_kind',
  title: 'invalid_title',
  body: 'invalid_body',
  tags: 'invalid_tags',
  visibility: 'invalid_visibility',
  license: 'invalid_license',
  url: 'invalid_url',
  estimate: 'invalid_estimate',
  baseVersion: 'invalid_version',
  from: 'invalid_version',
  to: 'invalid_version',
  n: 'invalid_version',
  before: 'invalid_cursor',
};

/** invalid_input with a known field becomes that field's code (invalid_kind, invalid_url…). */
export const clarify = (e: AppError): AppError => {
  if (e.code !== 'invalid_input') return e;
  const code = FIELD_CODES[e.field?.split('.')[0] ?? ''];
  return code ? { ...e, code } : e;
};
