import { useEffect, useState } from 'react';
import { seg } from '../api/client.ts';
import type { Comment, ProposalComments } from '../api/types.ts';
import { useSession } from '../session.tsx';
import { ErrorNotice, Loading } from '../ui/page.tsx';
import { useApi } from '../ui/use-api.ts';
import { CommentForm } from './comment-form.tsx';
import { CommentItem } from './comment-item.tsx';

/** The discussion beside a proposal's vote (as in Loomio): its comments, oldest first. */
export function ProposalDiscussion({
  proposalId,
  commune,
  member,
  heard = 0,
}: {
  proposalId: string;
  commune: string;
  member: boolean;
  /** Counts live comment events: each one reloads the discussion. */
  heard?: number;
}) {
  const session = useSession();
  const loaded = useApi<ProposalComments>(`/proposals/${seg(proposalId)}/comments?limit=200`);
  const [changed, setChanged] = useState<Map<string, Comment>>(new Map());
  const { reload } = loaded;
  useEffect(() => {
    if (heard > 0) reload();
  }, [heard, reload]);
  const me = session.me;
  const steward = me?.communes.some((m) => m.handle === commune && m.role === 'steward') ?? false;
  const data = loaded.data;
  const comments = (data?.comments ?? []).map((c) => changed.get(c.id) ?? c);
  const replace = (c: Comment) => setChanged((m) => new Map(m).set(c.id, c));

  return (
    <section aria-labelledby="discussion" className="panel proposal-discussion">
      <h2 id="discussion">Discussion</h2>
      {loaded.loading && !data ? <Loading what="the discussion" /> : null}
      {loaded.error ? <ErrorNotice error={loaded.error} what="the discussion" /> : null}
      {data && comments.length === 0 ? (
        <p className="muted">No comments yet. Questions and concerns belong here.</p>
      ) : null}
      <ol className="comment-list">
        {comments.map((c) => (
          <li key={c.id}>
            <CommentItem
              comment={c}
              parent={undefined}
              onReply={null}
              mine={me !== null && c.author.handle === me.handle}
              steward={steward}
              locked={data?.locked ?? false}
              fresh={false}
              onChanged={replace}
            />
          </li>
        ))}
      </ol>
      {data?.next ? <p className="muted small">Older comments are on the thread page.</p> : null}
      {member && !data?.locked ? (
        <CommentForm
          threadId={data?.thread ?? ''}
          postTo={`/proposals/${seg(proposalId)}/comments`}
          replyTo={null}
          onCancelReply={() => undefined}
          onPosted={() => loaded.reload()}
        />
      ) : null}
      {data?.locked ? (
        <p className="notice">A steward locked this discussion: it takes no new comments.</p>
      ) : null}
    </section>
  );
}
