import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { api, seg } from '../api/client.ts';
import { AgreementList } from './charter-text.tsx';
import { communesApi } from '../api/communes.ts';
import type { Commune, JoinResult } from '../api/types.ts';
import { proposalPath } from '../decisions/labels.ts';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { CheckboxField, FormError, TextArea, TextField } from '../ui/fields.tsx';
import { useFormErrors } from '../ui/form-errors.ts';
import { Notice } from '../ui/page.tsx';
import { capacity, isFull } from './labels.ts';

type Props = { commune: Commune; inviteCode?: string; onJoined: () => void; startOpen?: boolean };

/** After applying: the members decide, on a proposal the applicant may follow where the commune is visible. */
function ApplicationSent({ commune, application }: { commune: Commune; application: string }) {
  const [proposal, setProposal] = useState<string | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    void communesApi.admissionProposals(commune.handle, abort.signal).then((r) => {
      if (r.ok && !abort.signal.aborted) setProposal(r.value.get(application)?.id ?? null);
    });
    return () => abort.abort();
  }, [commune.handle, application]);
  return (
    <Notice tone="success">
      Your application to @{commune.handle} was sent. The members of {commune.name} now decide on it
      together.
      {proposal ? (
        <>
          {' '}
          <Link to={proposalPath(proposal)}>Follow the decision</Link>
        </>
      ) : null}
    </Notice>
  );
}

/** Join or apply: shows the agreements first and asks the person to accept them. */
export function JoinPanel({ commune, inviteCode = '', onJoined, startOpen = false }: Props) {
  const session = useSession();
  const [open, setOpen] = useState(startOpen);
  const [accepted, setAccepted] = useState(false);
  const [message, setMessage] = useState('');
  const [code, setCode] = useState(inviteCode);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<JoinResult | null>(null);
  const errors = useFormErrors(['acceptAgreements', 'message', 'inviteCode']);
  const form = useRef<HTMLFormElement>(null);
  const panelId = useId();
  const policy = commune.joinPolicy;
  const verb = policy === 'application' ? 'Apply to join' : 'Join';

  if (outcome?.status === 'pending')
    return <ApplicationSent commune={commune} application={outcome.id} />;
  if (outcome?.status === 'member')
    return <Notice tone="success">Welcome to {commune.name}! You are now a member.</Notice>;

  const next = encodeURIComponent(window.location.pathname + window.location.search);
  if (!session.me) {
    return (
      <section className="panel join" aria-label="Joining">
        <p>
          <Link to={`/sign-in?next=${next}`}>Sign in</Link> or{' '}
          <Link to={`/sign-up?next=${next}`}>create an account</Link> to join {commune.name}.
        </p>
      </section>
    );
  }
  if (isFull(commune)) {
    return (
      <Notice tone="warning">
        {commune.name} is full ({capacity(commune)}), so it cannot take new members right now.
      </Notice>
    );
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!accepted) {
      return errors.show(
        {
          status: 400,
          code: 'invalid_input',
          field: 'acceptAgreements',
          message: 'Please read the agreements and accept them to join.',
        },
        form.current,
      );
    }
    setBusy(true);
    const body = {
      acceptAgreements: true,
      ...(message.trim() ? { message: message.trim() } : {}),
      ...(code.trim() ? { inviteCode: code.trim() } : {}),
    };
    const r = await api.post<JoinResult>(`/communes/${seg(commune.handle)}/applications`, body);
    setBusy(false);
    if (!r.ok) return errors.show(r.error, form.current);
    errors.clear();
    setOutcome(r.value);
    if (r.value.status === 'member') onJoined();
  }

  return (
    <section className="panel join" aria-labelledby={`${panelId}-h`}>
      <h2 id={`${panelId}-h`}>Joining {commune.name}</h2>
      {policy === 'invite' && !code ? (
        <p>
          This commune admits people by invitation. If a member gave you an invite link, open it, or
          paste its code below.
        </p>
      ) : null}
      {policy === 'application' ? (
        <p>The members decide together on each application before you become a member.</p>
      ) : null}
      <button
        type="button"
        className={open ? 'secondary' : ''}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen(!open)}
      >
        {open ? 'Hide' : verb}
      </button>
      <div id={panelId} hidden={!open}>
        <form ref={form} onSubmit={(e) => void submit(e)} noValidate className="stack">
          <h3>The agreements of {commune.name}</h3>
          {commune.agreements.length > 0 ? (
            <AgreementList commune={commune} />
          ) : (
            <p className="muted">This commune has no written agreements beyond its vision.</p>
          )}
          <FormError message={errors.form} />
          <CheckboxField
            label="I have read these agreements and accept them"
            name="acceptAgreements"
            checked={accepted}
            onChange={(e) => setAccepted(e.target.checked)}
            error={errors.field('acceptAgreements')}
          />
          {policy === 'application' ? (
            <TextArea
              label="A note to the members (optional)"
              name="message"
              rows={3}
              value={message}
              onChange={(e) => setMessage(e.target.value)}
              error={errors.field('message')}
            />
          ) : null}
          {policy === 'invite' ? (
            <TextField
              label="Invite code"
              name="inviteCode"
              autoCapitalize="none"
              spellCheck={false}
              value={code}
              onChange={(e) => setCode(e.target.value)}
              error={errors.field('inviteCode')}
            />
          ) : null}
          <div className="actions">
            <button type="submit" disabled={busy}>
              {busy
                ? 'Sending…'
                : policy === 'application'
                  ? 'Send application'
                  : `Join ${commune.name}`}
            </button>
          </div>
        </form>
      </div>
    </section>
  );
}
