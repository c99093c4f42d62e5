import { z } from 'zod';
import { DOC_TYPES, ITEM_KINDS } from './search.ts';

// What the search route answers, as the OpenAPI document and the web app see it.

const facetCounts = z.array(z.object({ value: z.string(), count: z.number().int() }));

export const searchHitSchema = z
  .object({
    type: z.enum(DOC_TYPES),
    id: z.string(),
    title: z.string().meta({ description: 'The item’s or thread’s title; a comment’s thread’s' }),
    snippet: z.string().meta({
      description: 'HTML: escaped text of the body around the matches, which are in <mark>',
    }),
    commune: z.string().meta({ description: 'The commune’s handle' }),
    author: z.string().meta({ description: 'A handle, or user@host for a fediverse author' }),
    kind: z.enum(ITEM_KINDS).nullable().meta({ description: 'Items only' }),
    tags: z.array(z.string()),
    threadId: z.string().nullable().meta({ description: 'The thread, for threads and comments' }),
    createdAt: z.string(),
  })
  .meta({ id: 'SearchHit' });

export const searchPageSchema = z
  .object({
    items: z.array(searchHitSchema),
    next: z.string().nullable(),
    facets: z
      .object({
        type: facetCounts,
        kind: facetCounts,
        tag: facetCounts,
        commune: facetCounts,
      })
      .nullable()
      .meta({
        description:
          'How all the matches the caller may see spread, most first; on the first page only ' +
          '(null once `before` is given, or with facets=none)',
      }),
    hidden: z
      .number()
      .int()
      .min(0)
      .meta({
        description:
          'How many matches the caller’s own filters left out; counted once, on the first page ' +
          '(0 once `before` is given)',
      }),
  })
  .meta({ id: 'SearchPage' });
