import { api, seg } from '../api/client.ts';
import type { Charter, Commune } from '../api/types.ts';
import { Link, navigate } from '../router.tsx';
import { ErrorNotice, Loading, Notice, PageHeading } from '../ui/page.tsx';
import { RequireSignIn } from '../ui/require-sign-in.tsx';
import { useApi } from '../ui/use-api.ts';
import { CharterForm } from './charter-form.tsx';
import { communePath } from './labels.ts';

export function EditCharterPage({ handle }: { handle: string }) {
  const commune = useApi<Commune>(`/communes/${seg(handle)}`);

  async function save(charter: Charter) {
    // The handle is the address and never changes, so it is not sent.
    const { name, vision, category, tags, joinPolicy, visibility, maxMembers, agreements } = charter;
    const fields = { name, vision, category, tags, joinPolicy, visibility, maxMembers, agreements };
    const r = await api.put<Commune>(`/communes/${seg(handle)}`, fields);
    if (r.ok) navigate(communePath(handle));
    return r;
  }

  return (
    <section className="narrow">
      <PageHeading title={`Edit the charter of @${handle}`}>Edit the charter</PageHeading>
      <p>
        <Link to={communePath(handle)}>Back to @{handle}</Link>
      </p>
      <RequireSignIn what="edit a charter">
        {commune.loading ? <Loading what="the charter" /> : null}
        {commune.error ? <ErrorNotice error={commune.error} what="this commune" /> : null}
        {commune.data && commune.data.viewerRole !== 'steward' ? <Notice tone="warning">Only the commune’s stewards can edit its charter.</Notice> : null}
        {commune.data && commune.data.viewerRole === 'steward' ? <CharterForm initial={commune.data} editing submitLabel="Save charter" onSubmit={save} /> : null}
      </RequireSignIn>
    </section>
  );
}
