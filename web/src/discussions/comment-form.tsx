import { useRef, useState, type FormEvent, type Ref } from 'react';
import { api, seg } from '../api/client.ts';
import type { Comment } from '../api/types.ts';
import { FormError } from '../ui/fields.tsx';
import { useFormErrors } from '../ui/form-errors.ts';
import { Person } from '../ui/person.tsx';
import { MarkdownField } from './markdown-field.tsx';

type Props = {
  threadId: string;
  /** Where comments go: a thread's, or a proposal's discussion. */
  postTo?: string;
  replyTo: Comment | null;
  onCancelReply: () => void;
  onPosted: (comment: Comment) => void;
  textareaRef?: Ref<HTMLTextAreaElement>;
};

export function CommentForm({
  threadId,
  postTo,
  replyTo,
  onCancelReply,
  onPosted,
  textareaRef,
}: Props) {
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const errors = useFormErrors(['body', 'inReplyTo']);
  const form = useRef<HTMLFormElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    const r = await api.post<Comment>(postTo ?? `/threads/${seg(threadId)}/comments`, {
      body,
      ...(replyTo ? { inReplyTo: replyTo.id } : {}),
    });
    setBusy(false);
    if (!r.ok) return errors.show(r.error, form.current);
    errors.clear();
    setBody('');
    onPosted(r.value);
  }

  return (
    <form
      ref={form}
      onSubmit={(e) => void submit(e)}
      noValidate
      className="stack comment-form"
      aria-labelledby="reply-heading"
    >
      <h2 id="reply-heading">{replyTo ? 'Reply' : 'Add a comment'}</h2>
      {replyTo ? (
        <p className="replying">
          Replying to <Person person={replyTo.author} />{' '}
          <button type="button" className="link-button" onClick={onCancelReply}>
            Cancel reply
          </button>
        </p>
      ) : null}
      <FormError message={errors.form ?? errors.field('inReplyTo')} />
      <MarkdownField
        textareaRef={textareaRef}
        label="Your comment"
        name="body"
        value={body}
        onChange={setBody}
        error={errors.field('body')}
      />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Posting…' : 'Post comment'}
        </button>
      </div>
    </form>
  );
}
