import { z } from 'zod';
import { amountSchema, MAX_MEMO } from '../ledger/ledger.ts';
import { handleSchema } from '../identity/identity.ts';
import { UUID_PATTERN } from '../shared/ids.ts';
import { itemSchema } from './inventory.schemas.ts';
import { MAX_MATCHES } from './matching.ts';

export const thanksInputSchema = z
  .object({
    id: z
      .string('must be a UUID string')
      .regex(UUID_PATTERN, 'must be a UUID: a retry with the same id thanks once')
      .transform((s) => s.toLowerCase()),
    amount: amountSchema,
    memo: z.string().max(MAX_MEMO, `must be at most ${MAX_MEMO} characters`).optional(),
    fromCommune: handleSchema.optional().meta({
      description:
        'The giver’s commune whose currency pays, when they belong to several allied with the item’s commune; amount is in its currency, converted through clearing',
    }),
  })
  .meta({ id: 'ThanksInput' });
export type ThanksInput = z.infer<typeof thanksInputSchema>;

export const thanksCountSchema = z
  .object({
    people: z.number().int().meta({ description: 'How many people thanked the item' }),
    times: z.number().int().meta({ description: 'How many thanks it received' }),
  })
  .meta({ id: 'ItemThanksCount', description: 'Shown to the item’s author only' });

const personSchema = z.object({ handle: z.string(), displayName: z.string() });

export const conversationSchema = z
  .object({
    thread: z.object({ id: z.string(), title: z.string() }),
    person: personSchema,
    createdAt: z.string(),
  })
  .meta({ id: 'ItemConversation' });

export const conversationListSchema = z
  .object({ items: z.array(conversationSchema) })
  .meta({ id: 'ItemConversationList' });

export const matchListSchema = z
  .object({
    items: z
      .array(
        z.object({
          item: itemSchema,
          score: z.number().meta({ description: 'Higher is a better match; only for ordering' }),
          sharedTags: z.array(z.string()),
        }),
      )
      .max(MAX_MATCHES),
  })
  .meta({ id: 'ItemMatchList' });
