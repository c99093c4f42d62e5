import { useState } from 'react';
import { api, seg } from '../api/client.ts';
import type { Comment } from '../api/types.ts';
import { When } from '../ui/page.tsx';
import { Person, handleOf } from '../ui/person.tsx';
import { EditForm, EditedMarker, ReasonAction, ServerHtml } from './post-controls.tsx';

type Props = {
  comment: Comment;
  parent: Comment | undefined;
  onReply: (() => void) | null;
  /** The viewer wrote it: they may edit or delete it. */
  mine: boolean;
  /** The viewer is a steward of the commune: they may hide it. */
  steward: boolean;
  /** The thread is locked: no edits. */
  locked: boolean;
  /** New since the viewer's last visit. */
  fresh: boolean;
  onChanged: (c: Comment) => void;
};

/** One comment: deleted and hidden ones keep their place, saying so instead of their text. */
export function CommentItem(p: Props) {
  const { comment } = p;
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const path = `/comments/${seg(comment.id)}`;

  async function remove() {
    if (!window.confirm('Delete this comment? It stays in its place, empty.')) return;
    const r = await api.del(path);
    if (!r.ok) return setError(r.error.message);
    p.onChanged({ ...comment, body: '', html: '', deleted: true, hidden: null });
  }

  const gone = comment.deleted || comment.hidden !== null;
  return (
    <article
      className={`comment${p.fresh ? ' fresh' : ''}${gone ? ' gone' : ''}`}
      id={`comment-${comment.id}`}
      aria-label={`Comment by @${handleOf(comment.author)}`}
    >
      <header className="comment-head">
        <Person person={comment.author} />
        <span className="muted small">
          <When iso={comment.createdAt} />
          {comment.source === 'fediverse' ? ' · from the fediverse' : ''}
        </span>
        {p.fresh ? <span className="badge new">New</span> : null}
        {comment.editedAt && !gone ? (
          <EditedMarker editedAt={comment.editedAt} historyPath={`${path}/edits`} />
        ) : null}
      </header>
      {comment.inReplyTo ? (
        <p className="in-reply-to small">
          <a href={`#comment-${comment.inReplyTo}`}>
            In reply to {p.parent ? `@${handleOf(p.parent.author)}` : 'an earlier comment'}
          </a>
        </p>
      ) : null}
      {comment.deleted ? <p className="muted tombstone">This comment was deleted.</p> : null}
      {comment.hidden ? (
        <p className="muted tombstone">Hidden by a steward: {comment.hidden.reason}</p>
      ) : null}
      {editing ? (
        <EditForm<Comment>
          path={path}
          body={comment.body}
          onSaved={(c) => {
            setEditing(false);
            p.onChanged(c);
          }}
          onCancel={() => setEditing(false)}
        />
      ) : gone ? null : (
        <ServerHtml html={comment.html} />
      )}
      {error ? (
        <p role="alert" className="form-error">
          {error}
        </p>
      ) : null}
      {!editing && !gone ? (
        <div className="comment-actions">
          {p.onReply ? (
            <button type="button" className="link-button small" onClick={p.onReply}>
              Reply<span className="visually-hidden"> to @{handleOf(comment.author)}</span>
            </button>
          ) : null}
          {p.mine && !p.locked ? (
            <button type="button" className="link-button small" onClick={() => setEditing(true)}>
              Edit
            </button>
          ) : null}
          {p.mine ? (
            <button type="button" className="link-button small" onClick={() => void remove()}>
              Delete
            </button>
          ) : null}
          {p.steward ? (
            <ReasonAction<Comment> label="Hide" path={`${path}/hide`} onDone={p.onChanged} />
          ) : null}
        </div>
      ) : null}
    </article>
  );
}
