// Table shapes as Kysely sees them. Times are ISO-8601 text on both databases so that
// ordering and comparison behave identically; lists of strings are JSON text.

export type HandleTable = { handle: string; kind: 'person' | 'commune' };

export type AccountTable = {
  id: string;
  handle: string;
  display_name: string;
  password_hash: string;
  created_at: string;
};

export type SessionTable = {
  token_hash: string;
  account_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
};

export type SignInFailureTable = { id: string; handle: string; address: string; at: string };

export type CommuneTable = {
  id: string;
  handle: string;
  name: string;
  vision: string;
  category: string;
  tags: string;
  agreements: string;
  join_policy: string;
  visibility: string;
  max_members: number;
  member_count: number;
  created_by: string;
  created_at: string;
};

export type MembershipTable = {
  commune_id: string;
  account_id: string;
  role: 'member' | 'steward';
  joined_at: string;
};

export type ApplicationTable = {
  id: string;
  commune_id: string;
  account_id: string;
  message: string;
  status: 'pending' | 'approved' | 'rejected';
  created_at: string;
  decided_at: string | null;
  decided_by: string | null;
};

export type InviteTable = {
  code: string;
  commune_id: string;
  created_by: string;
  created_at: string;
  expires_at: string;
  used_by: string | null;
  used_at: string | null;
};

export type ThreadTable = {
  id: string;
  commune_id: string;
  author_id: string;
  title: string;
  body: string;
  html: string;
  created_at: string;
};

export type CommentTable = {
  id: string;
  thread_id: string;
  author_id: string | null;
  author_handle: string;
  body: string;
  html: string;
  in_reply_to: string | null;
  source: 'local' | 'fediverse';
  created_at: string;
};

export type FilterTable = {
  id: string;
  account_id: string;
  kind: 'word' | 'person' | 'thread' | 'commune';
  value: string;
  created_at: string;
};

export type Database = {
  handles: HandleTable;
  accounts: AccountTable;
  sessions: SessionTable;
  sign_in_failures: SignInFailureTable;
  communes: CommuneTable;
  memberships: MembershipTable;
  applications: ApplicationTable;
  invites: InviteTable;
  threads: ThreadTable;
  comments: CommentTable;
  filters: FilterTable;
};
