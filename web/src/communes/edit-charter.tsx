import type { ApiError, ApiResult } from '../api/client.ts';
import { seg } from '../api/client.ts';
import { decisionsApi, type Proposal } from '../api/decisions.ts';
import type { Charter, Commune } from '../api/types.ts';
import { proposalPath } from '../decisions/labels.ts';
import { Link, navigate } from '../router.tsx';
import { ErrorNotice, Loading, Notice, PageHeading } from '../ui/page.tsx';
import { RequireSignIn } from '../ui/require-sign-in.tsx';
import { useApi } from '../ui/use-api.ts';
import { CharterForm } from './charter-form.tsx';
import { communePath } from './labels.ts';

// The handle is the address and never changes, so it is never part of an amendment.
const FIELDS = [
  'name',
  'vision',
  'category',
  'tags',
  'agreements',
  'joinPolicy',
  'visibility',
  'maxMembers',
] as const;
type Field = (typeof FIELDS)[number];

const FIELD_WORDS: Record<Field, string> = {
  name: 'name',
  vision: 'vision',
  category: 'category',
  tags: 'tags',
  agreements: 'agreements',
  joinPolicy: 'join policy',
  visibility: 'visibility',
  maxMembers: 'largest size',
};

/** Only what differs from the charter in force goes into the proposal. */
function charterChanges(current: Charter, next: Charter): Partial<Charter> {
  const changes: Record<string, unknown> = {};
  for (const f of FIELDS)
    if (JSON.stringify(current[f]) !== JSON.stringify(next[f])) changes[f] = next[f];
  return changes as Partial<Charter>;
}

/** The API names action fields `action.params.x`; the form knows them as `x`. */
function placed(e: ApiError): ApiError {
  const prefix = 'action.params.';
  if (!e.field?.startsWith(prefix)) return e;
  const message = e.message.startsWith(`${e.field}: `)
    ? e.message.slice(e.field.length + 2)
    : e.message;
  return { ...e, field: e.field.slice(prefix.length), message };
}

/**
 * The charter is the members' to change: the form proposes an amend_charter decision
 * (the commune's governance sets how it is decided) and opens the proposal to vote on.
 */
export function EditCharterPage({ handle }: { handle: string }) {
  const commune = useApi<Commune>(`/communes/${seg(handle)}`);

  async function propose(current: Commune, charter: Charter): Promise<ApiResult<Proposal>> {
    const params = charterChanges(current, charter);
    const changed = Object.keys(params) as Field[];
    if (changed.length === 0)
      return {
        ok: false,
        error: {
          status: 0,
          code: 'invalid_input',
          message: 'Change at least one part of the charter first.',
        },
      };
    const r = await decisionsApi.propose(handle, {
      title: `Amend the charter: ${changed.map((f) => FIELD_WORDS[f]).join(', ')}`,
      body: '',
      anonymous: false,
      hideResults: 'never',
      action: { type: 'amend_charter', params },
    });
    if (!r.ok) return { ok: false, error: placed(r.error) };
    navigate(proposalPath(r.value.id));
    return r;
  }

  const data = commune.data;
  return (
    <section className="narrow">
      <PageHeading title={`Propose a charter change for @${handle}`}>
        Propose a charter change
      </PageHeading>
      <p>
        <Link to={communePath(handle)}>Back to @{handle}</Link>
      </p>
      <RequireSignIn what="propose a charter change">
        {commune.loading ? <Loading what="the charter" /> : null}
        {commune.error ? <ErrorNotice error={commune.error} what="this commune" /> : null}
        {data && !data.viewerRole ? (
          <Notice tone="warning">
            Only the commune’s members can propose changes to its charter.
          </Notice>
        ) : null}
        {data && data.viewerRole ? (
          <>
            <p className="muted">
              The members decide on charter changes together: your changes become a proposal, and
              the charter changes once it passes.
            </p>
            <CharterForm
              initial={data}
              editing
              submitLabel="Propose these changes"
              onSubmit={(charter) => propose(data, charter)}
            />
          </>
        ) : null}
      </RequireSignIn>
    </section>
  );
}
