import { isUniqueViolation } from '../db/database.ts';
import type { Deps } from '../deps.ts';
import { isUuid, newId } from '../shared/ids.ts';
import type { Page } from '../shared/pagination.ts';
import { ok, type AppError, type Result } from '../shared/result.ts';
import { discussionsFail, type DiscussionsErrorCode } from './discussions.errors.ts';
import { filtersRepository } from './filters.repository.ts';
import {
  MAX_FILTERS_PER_PERSON,
  NO_FILTERS,
  compileFilters,
  type Filter,
  type FilterInput,
  type FilterSet,
} from './filters.ts';

const filterExists = () => discussionsFail('filter_exists', 'You already have this filter');
type Refused = AppError<DiscussionsErrorCode>;

export function filtersService(deps: Deps) {
  const repo = filtersRepository(deps.db, deps.dialect);

  return {
    async add(accountId: string, input: FilterInput): Promise<Result<Filter, Refused>> {
      const filter: Filter = {
        id: newId(),
        kind: input.kind,
        value: input.value,
        createdAt: deps.clock.now().toISOString(),
      };
      try {
        return await deps.db.transaction().execute(async (tx): Promise<Result<Filter, Refused>> => {
          const r = filtersRepository(tx, deps.dialect);
          await r.lockOwner(accountId);
          if (await r.exists(accountId, input.kind, input.value)) return filterExists();
          if ((await r.count(accountId)) >= MAX_FILTERS_PER_PERSON) {
            return discussionsFail(
              'too_many_filters',
              `A person may keep at most ${MAX_FILTERS_PER_PERSON} filters`,
            );
          }
          await r.insert({ ...filter, accountId });
          return ok(filter);
        });
      } catch (e) {
        // The unique key is the last word should a check above ever be raced.
        if (isUniqueViolation(e)) return filterExists();
        throw e;
      }
    },

    /** All of a person's filters, oldest first; the cap keeps this one short page. */
    async list(accountId: string): Promise<Page<Filter>> {
      return { items: await repo.listOf(accountId), next: null };
    },

    async remove(accountId: string, id: string): Promise<Result<void, Refused>> {
      // Someone else's filter is indistinguishable from a missing one.
      if (!isUuid(id) || !(await repo.remove(accountId, id.toLowerCase())))
        return discussionsFail('filter_not_found', 'Filter not found');
      return ok(undefined);
    },

    /** The compiled rules a list applies for this caller; anonymous callers filter nothing. */
    async setFor(accountId: string | null): Promise<FilterSet> {
      return accountId === null ? NO_FILTERS : compileFilters(await repo.listOf(accountId));
    },
  };
}
export type FiltersService = ReturnType<typeof filtersService>;
