import { api } from '../api/client.ts';
import type { Charter, Commune } from '../api/types.ts';
import { navigate } from '../router.tsx';
import { useSession } from '../session.tsx';
import { PageHeading } from '../ui/page.tsx';
import { RequireSignIn } from '../ui/require-sign-in.tsx';
import { CharterForm } from './charter-form.tsx';
import { communePath } from './labels.ts';

export function NewCommunePage() {
  const session = useSession();

  async function create(charter: Charter) {
    const r = await api.post<Commune>('/communes', charter);
    if (r.ok) {
      await session.refresh();
      navigate(communePath(r.value.handle ?? charter.handle));
    }
    return r;
  }

  return (
    <section className="narrow">
      <PageHeading title="Start a commune">Start a commune</PageHeading>
      <p className="lede">
        A commune begins with a charter: what it is for, how people join, and the agreements its
        members keep. You will be its first steward.
      </p>
      <RequireSignIn what="start a commune">
        <CharterForm submitLabel="Create commune" onSubmit={create} />
      </RequireSignIn>
    </section>
  );
}
