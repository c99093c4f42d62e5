import { useState } from 'react';
import { api, seg, type ApiError } from '../api/client.ts';
import type { Role } from '../api/types.ts';

/** Leaving takes two clicks, so it is never an accident. */
export function LeaveSection({
  handle,
  role,
  onLeft,
}: {
  handle: string;
  role: Role;
  onLeft: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function leave() {
    setBusy(true);
    const r = await api.del(`/communes/${seg(handle)}/members/me`);
    setBusy(false);
    if (!r.ok) return setProblem(r.error);
    setConfirming(false);
    onLeft();
  }

  return (
    <section aria-label="Leaving" className="panel quiet">
      {confirming ? (
        <div role="group" aria-label="Confirm leaving">
          <p>Leave @{handle}? You can ask to join again later.</p>
          {role === 'steward' ? (
            <p className="muted small">
              If no other steward remains, the member who has been here longest becomes steward.
            </p>
          ) : null}
          <div className="actions">
            <button type="button" className="danger" onClick={() => void leave()} disabled={busy}>
              Yes, leave
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              Stay
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className="link-button" onClick={() => setConfirming(true)}>
          Leave this commune
        </button>
      )}
      {problem ? (
        <p className="form-error" role="alert">
          {problem.message}
        </p>
      ) : null}
    </section>
  );
}
