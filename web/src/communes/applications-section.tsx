import { useState } from 'react';
import { api, seg, type ApiError } from '../api/client.ts';
import type { Application } from '../api/types.ts';
import { Person, handleOf } from '../ui/person.tsx';
import { When } from '../ui/page.tsx';
import { usePagedList } from '../ui/use-api.ts';

const applicantOf = (a: Application) => a.applicant ?? (a.handle ? { handle: a.handle, displayName: a.displayName ?? null } : null);

/** Pending applications, for stewards to approve or reject. */
export function ApplicationsSection({ handle, onDecided }: { handle: string; onDecided: () => void }) {
  const list = usePagedList<Application>(`/communes/${seg(handle)}/applications`);
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const pending = list.data?.filter((a) => !a.status || a.status === 'pending') ?? [];

  async function decide(id: string, decision: 'approve' | 'reject') {
    setBusy(id);
    const r = await api.post(`/communes/${seg(handle)}/applications/${seg(id)}/${decision}`);
    setBusy(null);
    setProblem(r.ok ? null : r.error);
    list.reload();
    if (r.ok && decision === 'approve') onDecided();
  }

  return (
    <section aria-labelledby="applications" className="panel">
      <h2 id="applications">Applications</h2>
      {problem ? <p className="form-error" role="alert">{problem.message}</p> : null}
      {list.error ? <p className="muted">Could not load applications: {list.error.message}</p> : null}
      {list.data && pending.length === 0 ? <p className="muted">No one is waiting to join.</p> : null}
      <ul className="applications">
        {pending.map((a) => (
          <li key={a.id} className="card">
            <p>
              <Person person={applicantOf(a)} /> <span className="muted small">asked <When iso={a.createdAt} /></span>
            </p>
            {a.message ? <blockquote className="prewrap">{a.message}</blockquote> : null}
            <div className="actions">
              <button type="button" disabled={busy === a.id} onClick={() => void decide(a.id, 'approve')}>
                Approve<span className="visually-hidden"> @{handleOf(applicantOf(a))}</span>
              </button>
              <button type="button" className="secondary" disabled={busy === a.id} onClick={() => void decide(a.id, 'reject')}>
                Reject<span className="visually-hidden"> @{handleOf(applicantOf(a))}</span>
              </button>
            </div>
          </li>
        ))}
      </ul>
      {list.more ? (
        <button type="button" className="secondary" onClick={list.more}>
          Show more applications
        </button>
      ) : null}
    </section>
  );
}
