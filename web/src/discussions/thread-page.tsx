import { useEffect, useRef, useState } from 'react';
import { api, seg, type ApiError } from '../api/client.ts';
import type { Comment, Thread } from '../api/types.ts';
import { communePath } from '../communes/labels.ts';
import { Link, navigate } from '../router.tsx';
import { useSession } from '../session.tsx';
import { ErrorNotice, Loading, PageHeading, When } from '../ui/page.tsx';
import { Person } from '../ui/person.tsx';
import { CommentForm } from './comment-form.tsx';
import { CommentItem } from './comment-item.tsx';
import { EditForm, EditedMarker, ReasonAction, ServerHtml } from './post-controls.tsx';
import { LiveBanner, useLive } from '../ui/use-live.tsx';
import { useReadPosition } from './use-read-position.ts';
import { useThread } from './use-thread.ts';
import { HiddenNote } from '../ui/hidden-note.tsx';

/**
 * Loads the next page of comments when the reader comes near the end of those shown (an
 * IntersectionObserver on the button), or when they press the button. The observer is made
 * again after each page, so a page that leaves the button in view still leads to the next.
 */
function LoadMore({
  more,
  loading,
  shown,
  error,
}: {
  more: () => Promise<void>;
  loading: boolean;
  shown: number;
  error: ApiError | null;
}) {
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const el = button.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const near = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) void more();
      },
      { rootMargin: '0px 0px 400px 0px' },
    );
    near.observe(el);
    return () => near.disconnect();
  }, [more, shown]);
  return (
    <div className="load-more" aria-live="polite">
      <button
        ref={button}
        type="button"
        className="secondary"
        onClick={() => void more()}
        disabled={loading}
      >
        {loading ? 'Loading…' : 'Load more comments'}
      </button>
      {error ? <ErrorNotice error={error} what="more comments" /> : null}
    </div>
  );
}

function FilterThread({ id }: { id: string }) {
  const [state, setState] = useState<'idle' | 'done' | string>('idle');
  async function hide() {
    const r = await api.post('/me/filters', { kind: 'thread', value: id });
    setState(r.ok ? 'done' : r.error.message);
  }
  if (state === 'done') {
    return (
      <p className="muted small" role="status">
        This thread is now left out of your lists.{' '}
        <Link to="/settings/filters">Manage filters</Link>
      </p>
    );
  }
  return (
    <p className="small">
      <button type="button" className="link-button" onClick={() => void hide()}>
        Hide this thread from my lists
      </button>
      {state !== 'idle' ? (
        <span role="alert" className="form-error">
          {' '}
          {state}
        </span>
      ) : null}
    </p>
  );
}

/** The author's edit and delete, and a steward's lock and pin, under the thread's text. */
function ThreadControls({
  thread,
  mine,
  steward,
  onEdit,
  onChanged,
}: {
  thread: Thread;
  mine: boolean;
  steward: boolean;
  onEdit: () => void;
  onChanged: () => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const path = `/threads/${seg(thread.id)}`;
  async function remove() {
    if (!window.confirm('Delete this thread?')) return;
    const r = await api.del(path);
    if (!r.ok) return setError(r.error.message);
    navigate(communePath(thread.commune));
  }
  if (!mine && !steward) return null;
  const editable = mine && !thread.locked && thread.proposal === null;
  return (
    <div className="thread-actions">
      {editable ? (
        <button type="button" className="link-button small" onClick={onEdit}>
          Edit
        </button>
      ) : null}
      {mine && thread.proposal === null ? (
        <button type="button" className="link-button small" onClick={() => void remove()}>
          Delete
        </button>
      ) : null}
      {steward ? (
        <>
          <ReasonAction<Thread>
            label={thread.locked ? 'Unlock' : 'Lock'}
            path={`${path}/${thread.locked ? 'unlock' : 'lock'}`}
            onDone={onChanged}
          />
          <ReasonAction<Thread>
            label={thread.pinned ? 'Unpin' : 'Pin'}
            path={`${path}/${thread.pinned ? 'unpin' : 'pin'}`}
            onDone={onChanged}
          />
        </>
      ) : null}
      {error ? (
        <p role="alert" className="form-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function ThreadPage({ id }: { id: string }) {
  const session = useSession();
  const loaded = useThread(id);
  // New comments, edits and moderation appear as they happen (ADR 0028).
  const live = useLive(`?thread=${encodeURIComponent(id)}`, loaded.reload);
  const [replyTo, setReplyTo] = useState<Comment | null>(null);
  const [editing, setEditing] = useState(false);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const isFresh = useReadPosition(id, loaded.comments, session.me !== null);

  if (loaded.loading && !loaded.thread) return <Loading what="the discussion" />;
  if (loaded.error || !loaded.thread) {
    return (
      <section className="narrow">
        <PageHeading title="Discussion">Discussion</PageHeading>
        {loaded.error ? <ErrorNotice error={loaded.error} what="this discussion" /> : null}
      </section>
    );
  }
  const { thread, comments } = loaded;
  const byId = new Map(comments.map((c) => [c.id, c]));
  const me = session.me;
  const steward =
    me?.communes.some((m) => m.handle === thread.commune && m.role === 'steward') ?? false;
  const mineOf = (author: { handle: string }) => me !== null && author.handle === me.handle;

  function reply(c: Comment) {
    setReplyTo(c);
    textarea.current?.focus();
  }

  return (
    <article className="thread narrow">
      <LiveBanner state={live} />
      <header className="page-header">
        {thread.commune ? (
          <p className="small">
            <Link to={communePath(thread.commune)}>@{thread.commune}</Link>
          </p>
        ) : null}
        <PageHeading title={thread.title}>{thread.title}</PageHeading>
        <p className="meta">
          <Person person={thread.author} />
          <When iso={thread.createdAt} />
          {thread.editedAt ? (
            <EditedMarker
              editedAt={thread.editedAt}
              historyPath={`/threads/${seg(thread.id)}/edits`}
            />
          ) : null}
          {thread.pinned ? <span className="badge">Pinned</span> : null}
          {thread.locked ? <span className="badge">Locked</span> : null}
        </p>
      </header>
      {editing ? (
        <EditForm<Thread>
          path={`/threads/${seg(thread.id)}`}
          title={thread.title}
          body={thread.body}
          onSaved={() => {
            setEditing(false);
            loaded.reload();
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <ServerHtml html={thread.html} className="thread-body" />
      )}
      {!editing ? (
        <ThreadControls
          thread={thread}
          mine={mineOf(thread.author)}
          steward={steward}
          onEdit={() => setEditing(true)}
          onChanged={loaded.reload}
        />
      ) : null}
      <section aria-labelledby="comments" className="comments">
        <h2 id="comments">Comments</h2>
        {comments.length === 0 && loaded.hidden === 0 ? (
          <p className="muted">No comments yet.</p>
        ) : null}
        <HiddenNote count={loaded.hidden} />
        <ol className="comment-list">
          {comments.map((c) => (
            <li key={c.id}>
              <CommentItem
                comment={c}
                parent={c.inReplyTo ? byId.get(c.inReplyTo) : undefined}
                onReply={me && !thread.locked ? () => reply(c) : null}
                mine={mineOf(c.author)}
                steward={steward}
                locked={thread.locked}
                fresh={isFresh(c) && !mineOf(c.author)}
                onChanged={loaded.replace}
              />
            </li>
          ))}
        </ol>
        {loaded.more ? (
          <LoadMore
            more={loaded.more}
            loading={loaded.loadingMore}
            shown={comments.length}
            error={loaded.moreError}
          />
        ) : null}
      </section>
      {me && thread.locked ? (
        <p className="notice" role="status">
          A steward locked this thread: it takes no new comments.{' '}
          <Link to={`${communePath(thread.commune)}/moderation`}>Moderation log</Link>
        </p>
      ) : null}
      {me && !thread.locked ? (
        <CommentForm
          threadId={thread.id}
          replyTo={replyTo}
          onCancelReply={() => setReplyTo(null)}
          onPosted={(c) => {
            setReplyTo(null);
            loaded.addPosted(c);
          }}
          textareaRef={textarea}
        />
      ) : null}
      {me ? (
        <FilterThread id={thread.id} />
      ) : (
        <p>
          <Link to={`/sign-in?next=${encodeURIComponent(window.location.pathname)}`}>Sign in</Link>{' '}
          to take part.
        </p>
      )}
    </article>
  );
}
