import { accessErrors } from '../communes/communes.errors.ts';
import { failer, type CodeOf } from '../shared/result.ts';

/** Every error the knowledge inventory answers with (files, thanks and search add theirs). */
export const inventoryErrors = {
  ...accessErrors,
  // input, each naming its field
  invalid_kind: 'invalid_input',
  invalid_title: 'invalid_input',
  invalid_body: 'invalid_input',
  invalid_tags: 'invalid_input',
  invalid_visibility: 'invalid_input',
  invalid_license: 'invalid_input',
  invalid_url: 'invalid_input',
  invalid_estimate: 'invalid_input',
  invalid_version: 'invalid_input',
  invalid_cursor: 'invalid_input',
  public_in_private_commune: 'invalid_input',
  // lookups: an unknown item and one hidden from the caller answer alike
  item_not_found: 'not_found',
  version_not_found: 'not_found',
  // who may change an item
  not_item_editor: 'forbidden',
  // edits
  edit_conflict: 'conflict',
  item_deleted: 'conflict',
  fork_into_same_commune: 'rule_violation',
  // files (ADR 0015)
  malformed_multipart: 'invalid_input',
  file_missing: 'invalid_input',
  file_empty: 'invalid_input',
  file_too_large: 'too_large',
  file_type_not_allowed: 'unsupported_media_type',
  too_many_files: 'rule_violation',
  not_a_resource: 'rule_violation',
  file_not_found: 'not_found',
  // thanks and the exchange of offers and needs
  thanks_to_self: 'rule_violation',
  not_allied: 'rule_violation',
  from_commune_required: 'rule_violation',
  idempotency_conflict: 'conflict',
  author_only: 'forbidden',
  not_offer_or_need: 'rule_violation',
  own_item: 'rule_violation',
  not_a_need: 'rule_violation',
} as const;
export type InventoryErrorCode = CodeOf<typeof inventoryErrors>;

export const inventoryFail = failer(inventoryErrors);
