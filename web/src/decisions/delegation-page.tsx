import { useRef, useState, type FormEvent } from 'react';
import { seg, type ApiError } from '../api/client.ts';
import { decisionPaths, decisionsApi, type Delegation } from '../api/decisions.ts';
import type { Commune, Member } from '../api/types.ts';
import { roleIn } from '../communes/commune-page.tsx';
import { TableScroll } from '../ledger/tables.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { FormError, SelectField, TextField } from '../ui/fields.tsx';
import { useFormErrors } from '../ui/form-errors.ts';
import { ErrorNotice, Loading, Notice, PageHeading, When } from '../ui/page.tsx';
import { RequireSignIn } from '../ui/require-sign-in.tsx';
import { useApi, usePagedList } from '../ui/use-api.ts';
import { decisionsPath } from './labels.ts';

const topicWords = (topic: string | null) => (topic ? `on “${topic}”` : 'on everything');

/** Lend your vote to another member: for everything, or for one topic. */
function DelegateForm({
  handle,
  members,
  me,
  onChanged,
}: {
  handle: string;
  members: Member[];
  me: string;
  onChanged: (said: string) => void;
}) {
  const [to, setTo] = useState('');
  const [topic, setTopic] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const errors = useFormErrors(['to', 'topic']);
  const others = members
    .filter((m) => m.handle !== me)
    .sort((a, b) => a.handle.localeCompare(b.handle));

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!to)
      return errors.show(
        {
          status: 0,
          code: 'invalid_input',
          message: 'Choose whom to lend your vote to.',
          field: 'to',
        },
        form.current,
      );
    setBusy(true);
    const t = topic.trim().toLowerCase() || null;
    const r = await decisionsApi.delegate(handle, to, t);
    setBusy(false);
    if (!r.ok) return errors.show(r.error, form.current);
    errors.clear();
    setTo('');
    setTopic('');
    onChanged(`@${to} now votes for you ${topicWords(t)}, unless you vote yourself.`);
  }

  return (
    <form ref={form} className="stack" onSubmit={(e) => void submit(e)} noValidate>
      <FormError message={errors.form} />
      <SelectField
        label="Delegate to"
        name="to"
        options={[
          { value: '', label: 'Choose a member' },
          ...others.map((m) => ({
            value: m.handle,
            label:
              m.displayName && m.displayName !== m.handle
                ? `${m.displayName} (@${m.handle})`
                : `@${m.handle}`,
          })),
        ]}
        value={to}
        onChange={(e) => setTo(e.target.value)}
        error={errors.field('to')}
      />
      <TextField
        label="Topic (optional)"
        name="topic"
        maxLength={40}
        value={topic}
        onChange={(e) => setTopic(e.target.value)}
        hint="Leave empty to delegate on everything. A topic delegation wins over the general one on proposals with that topic."
        error={errors.field('topic')}
      />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Delegate my vote'}
        </button>
      </div>
    </form>
  );
}

export function DelegationPage({ handle }: { handle: string }) {
  const session = useSession();
  const commune = useApi<Commune>(`/communes/${seg(handle)}`);
  const role = commune.data ? roleIn(commune.data, session.me?.communes) : null;
  const members = useApi<Member[]>(role ? `/communes/${seg(handle)}/members` : null);
  const list = usePagedList<Delegation>(
    role ? `${decisionPaths.delegations(handle)}?limit=200` : null,
    'after',
  );
  const [said, setSaid] = useState<string | null>(null);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const me = session.me?.handle ?? '';
  const name = commune.data?.name ?? `@${handle}`;
  const all = list.data ?? [];
  const mine = all.filter((d) => d.from === me);
  const toMe = all.filter((d) => d.to === me);

  const changed = (text: string) => {
    setSaid(text);
    setProblem(null);
    list.reload();
  };

  async function revoke(d: Delegation) {
    setBusy(d.topic ?? '');
    const r = await decisionsApi.delegate(handle, null, d.topic);
    setBusy(null);
    if (!r.ok) return setProblem(r.error);
    changed(`You take back your vote ${topicWords(d.topic)} from @${d.to}.`);
  }

  return (
    <section className="narrow">
      <PageHeading title={`Delegation in ${name}`}>Delegation</PageHeading>
      <p>
        <Link to={decisionsPath(handle)}>Back to the decisions of {name}</Link>
      </p>
      <p className="lede">
        Lend your vote to someone you trust. They vote for you until you vote yourself: your own
        vote always counts first. Delegations pass along (if they delegate too), and you can take
        yours back at any time.
      </p>
      <RequireSignIn what="delegate your vote">
        {commune.error ? (
          <ErrorNotice error={commune.error} what={`the commune @${handle}`} />
        ) : !commune.data ? (
          <Loading what="the commune" />
        ) : role === null ? (
          <p className="notice">Only members of {name} delegate here.</p>
        ) : (
          <>
            {said ? <Notice tone="success">{said}</Notice> : null}
            {problem ? <FormError message={problem.message} /> : null}
            <section aria-labelledby="yours" className="panel">
              <h2 id="yours">Your delegations</h2>
              {mine.length === 0 ? (
                <p className="muted">You vote for yourself on everything.</p>
              ) : (
                <ul className="delegations">
                  {mine.map((d) => (
                    <li key={d.topic ?? ''}>
                      <span>
                        @{d.to} votes for you {topicWords(d.topic)}
                      </span>
                      <button
                        type="button"
                        className="secondary small"
                        disabled={busy === (d.topic ?? '')}
                        onClick={() => void revoke(d)}
                        aria-label={`Revoke your delegation ${topicWords(d.topic)} to @${d.to}`}
                      >
                        Revoke
                      </button>
                    </li>
                  ))}
                </ul>
              )}
              {toMe.length > 0 ? (
                <p className="small">
                  You carry the vote of{' '}
                  {toMe.map((d) => `@${d.from} ${topicWords(d.topic)}`).join(', ')}.
                </p>
              ) : null}
            </section>
            <section aria-labelledby="delegate" className="panel">
              <h2 id="delegate">Delegate your vote</h2>
              {members.data ? (
                <DelegateForm handle={handle} members={members.data} me={me} onChanged={changed} />
              ) : (
                <Loading what="the members" />
              )}
            </section>
            <section aria-labelledby="everyone" className="panel">
              <h2 id="everyone">Everyone's delegations</h2>
              {list.error ? (
                <p className="muted">Could not load the delegations: {list.error.message}</p>
              ) : null}
              {list.data && all.length === 0 ? (
                <p className="muted">Nobody has delegated their vote.</p>
              ) : null}
              {all.length > 0 ? (
                <TableScroll label="Everyone's delegations">
                  <table className="ledger-table">
                    <caption className="visually-hidden">Who lends their vote to whom</caption>
                    <thead>
                      <tr>
                        <th scope="col">Member</th>
                        <th scope="col">Votes through</th>
                        <th scope="col">Topic</th>
                        <th scope="col">Since</th>
                      </tr>
                    </thead>
                    <tbody>
                      {all.map((d) => (
                        <tr key={`${d.from}/${d.topic ?? ''}`}>
                          <th scope="row">@{d.from}</th>
                          <td>@{d.to}</td>
                          <td>{d.topic ?? 'everything'}</td>
                          <td>
                            <When iso={d.createdAt} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableScroll>
              ) : null}
              {list.more ? (
                <div className="actions">
                  <button
                    type="button"
                    className="secondary"
                    disabled={list.loadingMore}
                    onClick={list.more}
                  >
                    {list.loadingMore ? 'Loading…' : 'Show more delegations'}
                  </button>
                </div>
              ) : null}
            </section>
          </>
        )}
      </RequireSignIn>
    </section>
  );
}
