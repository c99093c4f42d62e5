import { useId, useState } from 'react';
import { api, seg, type ApiError } from '../api/client.ts';
import type { Invite, JoinPolicy } from '../api/types.ts';
import { When } from '../ui/page.tsx';

export const inviteLink = (handle: string, code: string) =>
  `${window.location.origin}/join/${encodeURIComponent(handle)}?code=${encodeURIComponent(code)}`;

// What an invite does depends on how the commune admits people: the members decide on applications.
const INVITE_HINTS: Record<JoinPolicy, string> = {
  open: 'An invite link is for one person; anyone may join this commune anyway.',
  application:
    'An invite link lets one person apply, even while the commune is private; the members then decide on it together.',
  invite: 'An invite link lets one person join this invite-only commune.',
};

/** Members create invite links that the join page understands. */
export function InviteSection({ handle, joinPolicy }: { handle: string; joinPolicy: JoinPolicy }) {
  const [invite, setInvite] = useState<Invite | null>(null);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);
  const id = useId();

  async function create() {
    setBusy(true);
    const r = await api.post<Invite>(`/communes/${seg(handle)}/invites`);
    setBusy(false);
    setCopied(false);
    if (r.ok) {
      setInvite(r.value);
      setProblem(null);
    } else setProblem(r.error);
  }

  async function copy(link: string) {
    try {
      await navigator.clipboard.writeText(link);
      setCopied(true);
    } catch {
      // Clipboard access can be refused; the link stays selectable in its field.
      (document.getElementById(id) as HTMLInputElement | null)?.select();
    }
  }

  const link = invite ? inviteLink(handle, invite.code) : '';
  return (
    <section aria-labelledby={`${id}-h`} className="panel">
      <h2 id={`${id}-h`}>Invite someone</h2>
      <p className="muted small">{INVITE_HINTS[joinPolicy]}</p>
      <button type="button" className="secondary" onClick={() => void create()} disabled={busy}>
        {invite ? 'Create another invite link' : 'Create an invite link'}
      </button>
      {problem ? (
        <p className="form-error" role="alert">
          {problem.message}
        </p>
      ) : null}
      {invite ? (
        <div className="field invite">
          <label htmlFor={id}>Invite link</label>
          <div className="copy-row">
            <input id={id} readOnly value={link} onFocus={(e) => e.target.select()} />
            <button type="button" onClick={() => void copy(link)}>
              Copy
            </button>
          </div>
          <p className="hint" role="status">
            {copied ? 'Copied. ' : ''}
            {invite.expiresAt ? (
              <>
                Valid until <When iso={invite.expiresAt} />.
              </>
            ) : null}
          </p>
        </div>
      ) : null}
    </section>
  );
}
