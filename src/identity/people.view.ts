import type { Executor } from '../db/transaction.ts';

export type PersonProfile = {
  handle: string;
  displayName: string;
  communes: { handle: string; name: string; role: 'member' | 'steward' }[];
};

/**
 * A person as anyone may see them, where a mention links: their name, and the public
 * communes they belong to (whose member lists are public anyway). Nothing else: no counts.
 */
export function peopleView(db: Executor) {
  return {
    async profile(handle: string): Promise<PersonProfile | undefined> {
      const person = await db
        .selectFrom('accounts')
        .select(['id', 'handle', 'display_name'])
        .where('handle', '=', handle)
        .executeTakeFirst();
      if (!person) return undefined;
      const communes = await db
        .selectFrom('memberships')
        .innerJoin('communes', 'communes.id', 'memberships.commune_id')
        .select(['communes.handle', 'communes.name', 'memberships.role'])
        .where('memberships.account_id', '=', person.id)
        .where('communes.visibility', '=', 'public')
        .orderBy('communes.name')
        .orderBy('communes.handle')
        .limit(200)
        .execute();
      return {
        handle: person.handle,
        displayName: person.display_name,
        communes: communes.map((c) => ({
          handle: c.handle,
          name: c.name,
          role: c.role as 'member' | 'steward',
        })),
      };
    },
  };
}
