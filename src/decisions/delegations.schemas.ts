import { z } from 'zod';
import { ACTION_METHODS, ACTION_TYPES } from './governance.ts';
import { THRESHOLD_BASES } from './method-shapes.ts';

// What the delegation, governance and shortcut routes answer and read, as the OpenAPI
// document and the web app see them.

export const applicationParams = z.object({
  c: z.string().meta({ description: 'The commune’s handle' }),
  id: z.string().meta({ description: 'The application’s id' }),
});

export const accountParams = z.object({
  c: z.string().meta({ description: 'The commune’s handle' }),
  owner: z.string().meta({ description: 'A member’s handle, or purse' }),
});

export const delegationChangeSchema = z
  .object({
    from: z.string(),
    to: z.string().nullable().meta({ description: 'null: the delegation was revoked' }),
    topic: z.string().nullable().meta({ description: 'null: every topic' }),
  })
  .meta({ id: 'DelegationChange' });

export const delegationSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    topic: z.string().nullable().meta({ description: 'null: every topic' }),
    createdAt: z.string(),
  })
  .meta({ id: 'Delegation' });

export const delegationPageSchema = z
  .object({
    items: z.array(delegationSchema),
    next: z.string().nullable().meta({ description: 'The cursor for ?after=, or null' }),
  })
  .meta({ id: 'DelegationPage' });

export const governanceRuleSchema = z
  .object({
    method: z.enum(ACTION_METHODS),
    threshold: z.number().nullable(),
    thresholdBasis: z
      .enum(THRESHOLD_BASES)
      .nullable()
      .meta({ description: 'What the threshold is a share of: votes cast, or eligible members' }),
    quorum: z.number(),
    durationHours: z.number().int(),
    proposal: z
      .string()
      .nullable()
      .meta({ description: 'The change_governance proposal that set it; null: the default' }),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'GovernanceRule' });

export const governanceSchema = z
  .object({
    rules: z.object(
      Object.fromEntries(ACTION_TYPES.map((type) => [type, governanceRuleSchema])) as Record<
        (typeof ACTION_TYPES)[number],
        typeof governanceRuleSchema
      >,
    ),
    openBooks: z.boolean().meta({
      description:
        'Outsiders may read the ledger (balances, statements, memos, transfers); else members only',
    }),
    openBallots: z
      .boolean()
      .meta({ description: 'Outsiders may see who voted what; else members only' }),
  })
  .meta({ id: 'Governance' });
