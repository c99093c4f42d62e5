// Editing and moderation tables of discussions (src/discussions, migration 0018).

export type PostKind = 'thread' | 'comment';

/** The text a post had before one edit: its history, oldest edits first by id. */
export type PostEditTable = {
  id: string;
  post_kind: PostKind;
  post_id: string;
  /** A thread's title before the edit; null for a comment. */
  title: string | null;
  body: string;
  replaced_at: string;
};

export type ModerationAction = 'lock' | 'unlock' | 'pin' | 'unpin' | 'hide' | 'unhide';

export type ModerationLogTable = {
  id: string;
  commune_id: string;
  thread_id: string;
  comment_id: string | null;
  actor_id: string;
  action: ModerationAction;
  reason: string;
  created_at: string;
};

/** A person's read position in a thread. */
export type ThreadReadTable = {
  account_id: string;
  thread_id: string;
  /** The newest comment they have seen; null when they saw the thread before any comment. */
  last_seen: string | null;
  read_at: string;
};

export type EditingTables = {
  post_edits: PostEditTable;
  moderation_log: ModerationLogTable;
  thread_reads: ThreadReadTable;
};
