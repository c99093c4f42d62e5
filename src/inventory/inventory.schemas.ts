import { z } from 'zod';
import { pageQuery } from '../shared/pagination.ts';
import { storableText } from '../shared/text.ts';
import { ITEM_KINDS, ITEM_VISIBILITIES, MAX_TAG_CHARS } from './items.ts';

// What the inventory routes take in their paths and queries, and what they answer.

const personSchema = z
  .object({ handle: z.string(), displayName: z.string() })
  .meta({ id: 'ItemPerson' });

export const forkedFromSchema = z
  .object({
    item: z.string(),
    version: z.number().int(),
    commune: z.string().meta({ description: 'The original’s commune handle' }),
    author: personSchema,
  })
  .meta({ id: 'ForkedFrom', description: 'Kept when the original is deleted' });

export const itemSchema = z
  .object({
    id: z.string(),
    version: z.number().int(),
    kind: z.enum(ITEM_KINDS),
    title: z.string(),
    body: z.string().meta({ description: 'Markdown; empty once deleted' }),
    html: z.string().meta({ description: 'The body rendered and sanitized' }),
    tags: z.array(z.string()),
    visibility: z.enum(ITEM_VISIBILITIES),
    license: z.string().meta({ description: 'An SPDX license id' }),
    url: z.string().nullable(),
    estimate: z.number().int().nullable(),
    author: personSchema,
    commune: z.string().meta({ description: 'The commune’s handle' }),
    forkedFrom: forkedFromSchema.nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    deletedAt: z.string().nullable().meta({ description: 'Set on a tombstone' }),
    canEdit: z.boolean().meta({ description: 'The caller is its author or a steward' }),
  })
  .meta({ id: 'Item' });

export const itemPageSchema = z
  .object({ items: z.array(itemSchema), next: z.string().nullable() })
  .meta({ id: 'ItemPage' });

export const versionSummarySchema = z
  .object({
    version: z.number().int(),
    title: z.string(),
    editedBy: personSchema,
    editedAt: z.string(),
  })
  .meta({ id: 'ItemVersionSummary' });

export const versionPageSchema = z
  .object({ items: z.array(versionSummarySchema), next: z.string().nullable() })
  .meta({ id: 'ItemVersionPage' });

export const versionSchema = z
  .object({
    item: z.string(),
    version: z.number().int(),
    kind: z.enum(ITEM_KINDS),
    title: z.string(),
    body: z.string(),
    html: z.string(),
    tags: z.array(z.string()),
    visibility: z.enum(ITEM_VISIBILITIES),
    license: z.string(),
    url: z.string().nullable(),
    estimate: z.number().int().nullable(),
    editedBy: personSchema,
    editedAt: z.string(),
  })
  .meta({ id: 'ItemVersion' });

const partSchema = z
  .object({ op: z.enum(['same', 'added', 'removed']), text: z.string() })
  .meta({ id: 'DiffPart' });

export const diffSchema = z
  .object({
    item: z.string(),
    from: z.number().int(),
    to: z.number().int(),
    title: z.array(partSchema).meta({ description: 'Word by word' }),
    body: z.array(partSchema).meta({ description: 'Line by line' }),
    fields: z
      .array(z.object({ name: z.string(), from: z.unknown(), to: z.unknown() }))
      .meta({ description: 'Other fields that changed (kind, tags, visibility, …)' }),
  })
  .meta({ id: 'ItemDiff' });

export const itemParams = z.object({
  id: z.string().meta({ description: 'The item’s id' }),
});

export const versionParams = z.object({
  id: z.string().meta({ description: 'The item’s id' }),
  n: z.coerce.number().int().min(1).max(2_147_483_647),
});

export const diffQuery = z.object({
  from: z.coerce.number().int().min(1).max(2_147_483_647),
  to: z.coerce.number().int().min(1).max(2_147_483_647),
});

export const itemListQuery = pageQuery.extend({
  kind: z.enum(ITEM_KINDS).optional(),
  tag: storableText().trim().toLowerCase().min(1).max(MAX_TAG_CHARS).optional(),
});
export type ItemListQuery = z.infer<typeof itemListQuery>;

export const forkInputSchema = z
  .object({ commune: z.string().max(100).meta({ description: 'Handle of a commune you are in' }) })
  .meta({ id: 'ForkInput' });
