import { useEffect, useState } from 'react';
import type { ApiError } from '../api/client.ts';
import { communePaths, communesApi, type AdmissionProposal } from '../api/communes.ts';
import type { Application } from '../api/types.ts';
import { METHOD_LABELS, proposalPath } from '../decisions/labels.ts';
import { Link, navigate } from '../router.tsx';
import { Person, handleOf } from '../ui/person.tsx';
import { When } from '../ui/page.tsx';
import { usePagedList } from '../ui/use-api.ts';

const applicantOf = (a: Application) => ({ handle: a.handle, displayName: a.displayName });

type Proposals = { byApplication: Map<string, AdmissionProposal> | null; error: ApiError | null };

/** The open admission proposals, looked up again whenever the list of applications changes. */
function useAdmissionProposals(handle: string, applications: Application[] | null): Proposals {
  const [state, setState] = useState<Proposals>({ byApplication: null, error: null });
  // The list is a fresh array on every render; its ids say whether it really changed.
  const ids = applications?.map((a) => a.id).join(' ') ?? null;
  useEffect(() => {
    if (ids === null) return;
    const abort = new AbortController();
    void communesApi.admissionProposals(handle, abort.signal).then((r) => {
      if (!abort.signal.aborted)
        setState(
          r.ok ? { byApplication: r.value, error: null } : { byApplication: null, error: r.error },
        );
    });
    return () => abort.abort();
  }, [handle, ids]);
  return state;
}

/** Where the members decide on one application: its proposal, or a way to open one. */
function Decision({
  handle,
  application,
  proposal,
}: {
  handle: string;
  application: Application;
  proposal: AdmissionProposal | undefined;
}) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const applicant = handleOf(applicantOf(application));

  async function propose() {
    setBusy(true);
    const r = await communesApi.proposeAdmission(handle, application, applicant);
    setBusy(false);
    if (r.ok) navigate(proposalPath(r.value.id));
    else setProblem(r.error);
  }

  if (proposal) {
    return (
      <p className="actions">
        <Link to={proposalPath(proposal.id)}>Vote on admitting @{applicant}</Link>
        <span className="muted small">
          {METHOD_LABELS[proposal.method]}, closes <When iso={proposal.closesAt} />
        </span>
      </p>
    );
  }
  return (
    <>
      {problem ? (
        <p className="form-error" role="alert">
          {problem.message}
        </p>
      ) : null}
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => void propose()}>
          Propose admitting<span className="visually-hidden"> @{applicant}</span>
        </button>
      </div>
    </>
  );
}

/** Pending applications, each with the admit_member proposal on which the members decide. */
export function ApplicationsSection({ handle }: { handle: string }) {
  const list = usePagedList<Application>(communePaths.applications(handle));
  const proposals = useAdmissionProposals(handle, list.data);
  // The route lists pending applications only.
  const pending = list.data ?? [];

  return (
    <section aria-labelledby="applications" className="panel">
      <h2 id="applications">Applications</h2>
      {list.error ? (
        <p className="muted">Could not load applications: {list.error.message}</p>
      ) : null}
      {proposals.error ? (
        <p className="muted">Could not load the proposals on them: {proposals.error.message}</p>
      ) : null}
      {list.data && pending.length === 0 ? (
        <p className="muted">No one is waiting to join.</p>
      ) : null}
      {pending.length > 0 ? (
        <p className="muted small">The members decide together whether to admit each person.</p>
      ) : null}
      <ul className="applications">
        {pending.map((a) => (
          <li key={a.id} className="card">
            <p>
              <Person person={applicantOf(a)} />{' '}
              <span className="muted small">
                asked <When iso={a.createdAt} />
              </span>
            </p>
            {a.message ? <blockquote className="prewrap">{a.message}</blockquote> : null}
            {proposals.byApplication ? (
              <Decision
                handle={handle}
                application={a}
                proposal={proposals.byApplication.get(a.id)}
              />
            ) : null}
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
