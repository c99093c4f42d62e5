import { useEffect, useRef, useState } from 'react';
import { api, type ApiError } from '../api/client.ts';
import type { Comment } from '../api/types.ts';
import { communePath } from '../communes/labels.ts';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { ErrorNotice, Loading, PageHeading, When } from '../ui/page.tsx';
import { Person, handleOf } from '../ui/person.tsx';
import { CommentForm } from './comment-form.tsx';
import { useThread } from './use-thread.ts';

/**
 * Server-rendered Markdown. The server sanitizes `html`; this is the only place the app
 * injects markup, and only that field.
 */
function ServerHtml({ html, className }: { html: string; className?: string }) {
  return <div className={`prose ${className ?? ''}`} dangerouslySetInnerHTML={{ __html: html }} />;
}

function CommentItem({
  comment,
  parent,
  onReply,
}: {
  comment: Comment;
  parent: Comment | undefined;
  onReply: (() => void) | null;
}) {
  return (
    <article
      className="comment"
      id={`comment-${comment.id}`}
      aria-label={`Comment by @${handleOf(comment.author)}`}
    >
      <header className="comment-head">
        <Person person={comment.author} />
        <span className="muted small">
          <When iso={comment.createdAt} />
          {comment.source === 'fediverse' ? ' · from the fediverse' : ''}
        </span>
      </header>
      {comment.inReplyTo ? (
        <p className="in-reply-to small">
          <a href={`#comment-${comment.inReplyTo}`}>
            In reply to {parent ? `@${handleOf(parent.author)}` : 'an earlier comment'}
          </a>
        </p>
      ) : null}
      <ServerHtml html={comment.html} />
      {onReply ? (
        <button type="button" className="link-button small" onClick={onReply}>
          Reply<span className="visually-hidden"> to @{handleOf(comment.author)}</span>
        </button>
      ) : null}
    </article>
  );
}

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

export function ThreadPage({ id }: { id: string }) {
  const session = useSession();
  const loaded = useThread(id);
  const [replyTo, setReplyTo] = useState<Comment | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);

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

  function reply(c: Comment) {
    setReplyTo(c);
    textarea.current?.focus();
  }

  return (
    <article className="thread narrow">
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
        </p>
      </header>
      <ServerHtml html={thread.html} className="thread-body" />
      <section aria-labelledby="comments" className="comments">
        <h2 id="comments">Comments</h2>
        {comments.length === 0 ? <p className="muted">No comments yet.</p> : null}
        <ol className="comment-list">
          {comments.map((c) => (
            <li key={c.id}>
              <CommentItem
                comment={c}
                parent={c.inReplyTo ? byId.get(c.inReplyTo) : undefined}
                onReply={session.me ? () => reply(c) : null}
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
      {session.me ? (
        <>
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
          <FilterThread id={thread.id} />
        </>
      ) : (
        <p>
          <Link to={`/sign-in?next=${encodeURIComponent(window.location.pathname)}`}>Sign in</Link>{' '}
          to take part.
        </p>
      )}
    </article>
  );
}
