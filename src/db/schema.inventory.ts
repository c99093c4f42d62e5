// Knowledge inventory tables (src/inventory, migration 0011). Tags are JSON text; estimates
// are bigint like ledger money (SQLite gives numbers, pg gives strings).
import type { ColumnType } from 'kysely';

type MoneyOrNull = ColumnType<number | string | null, number | null, number | null>;

export type ItemKind = 'guide' | 'skill' | 'resource' | 'offer' | 'need' | 'link';
export type ItemVisibility = 'commune' | 'allies' | 'public';

export type ItemTable = {
  id: string;
  commune_id: string;
  author_id: string;
  kind: ItemKind;
  title: string;
  body: string;
  html: string;
  tags: string;
  visibility: ItemVisibility;
  license: string;
  url: string | null;
  estimate: MoneyOrNull;
  /** The latest version's number; edits compare their base version with it. */
  version: number;
  forked_from_item: string | null;
  forked_from_version: number | null;
  forked_from_commune: string | null;
  forked_from_author: string | null;
  /** Set when deleted: the row stays as a tombstone with title and attribution. */
  deleted_at: string | null;
  created_at: string;
  updated_at: string;
};

export type ItemVersionTable = {
  item_id: string;
  version: number;
  kind: ItemKind;
  title: string;
  body: string;
  tags: string;
  visibility: ItemVisibility;
  license: string;
  url: string | null;
  estimate: MoneyOrNull;
  edited_by: string;
  edited_at: string;
};

export type ItemFileTable = {
  item_id: string;
  sha256: string;
  name: string;
  type: string;
  size: number;
  added_by: string;
  added_at: string;
};

export type ItemThanksTable = {
  transfer_id: string;
  item_id: string;
  giver_id: string;
  created_at: string;
};

export type ItemConversationTable = {
  item_id: string;
  person_id: string;
  thread_id: string;
  created_at: string;
};

export type InventoryTables = {
  items: ItemTable;
  item_versions: ItemVersionTable;
  item_files: ItemFileTable;
  item_thanks: ItemThanksTable;
  item_conversations: ItemConversationTable;
};
