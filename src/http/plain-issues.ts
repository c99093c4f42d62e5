import type { z } from 'zod';

// Zod's own wording ("Invalid input: expected string, received undefined") is written for
// programmers. Every parse passes this map, so a schema that gives no message of its own
// still answers in plain words; a message a schema sets itself wins (zod's precedence).

type RawIssue = z.core.$ZodRawIssue;

const quote = (v: unknown): string => (typeof v === 'string' ? `"${v}"` : String(v));

/** "a number", "text": what a JSON value of that kind is called in a sentence. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return 'text';
    case 'number':
      return Number.isInteger(value) ? 'a whole number' : 'a number';
    case 'boolean':
      return 'true or false';
    case 'object':
      return 'a group of fields';
    default:
      return 'something else';
  }
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  bigint: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  tuple: 'a list',
  object: 'a group of fields',
  record: 'a group of fields',
  date: 'a date',
  null: 'empty (null)',
  literal: 'a fixed value',
};

const FORMATS: Record<string, string> = {
  email: 'must be an email address',
  url: 'must be a web address starting with http:// or https://',
  uuid: 'must be an id of the form 0190c6a2-7b1e-7000-8000-000000000000',
  guid: 'must be an id of the form 0190c6a2-7b1e-7000-8000-000000000000',
  datetime: 'must be a date and time such as 2026-05-01T18:00:00Z',
  date: 'must be a date such as 2026-05-01',
  time: 'must be a time such as 18:00',
  regex: 'has characters or a form that are not allowed here',
  starts_with: 'does not start the way it should',
  ends_with: 'does not end the way it should',
  includes: 'is missing a part it needs',
};

const unit = (origin: string, n: number | bigint): string => {
  const one = Number(n) === 1;
  switch (origin) {
    case 'string':
      return one ? 'character' : 'characters';
    case 'array':
    case 'set':
      return one ? 'entry' : 'entries';
    default:
      return '';
  }
};

function sizeMessage(iss: RawIssue & { code: 'too_small' | 'too_big' }): string {
  const small = iss.code === 'too_small';
  const limit = small ? iss.minimum : iss.maximum;
  const origin = String(iss.origin);
  const inclusive = iss.inclusive !== false;
  if (origin === 'string' && small && Number(limit) === 1 && inclusive) return 'must not be empty';
  if (origin === 'array' && small && Number(limit) === 1 && inclusive)
    return 'needs at least one entry';
  const words = unit(origin, limit);
  if (words) {
    const verb = origin === 'string' ? 'be' : 'have';
    return small
      ? `must ${verb} at least ${limit} ${words}`
      : `may ${verb} at most ${limit} ${words}`;
  }
  if (small) return inclusive ? `must be at least ${limit}` : `must be more than ${limit}`;
  return inclusive ? `must be at most ${limit}` : `must be less than ${limit}`;
}

/** A plain sentence (without the field's name) for one zod issue. */
export function plainIssue(iss: RawIssue): string {
  // A missing field fails as a wrong type, a wrong value or no union member: one sentence.
  if (iss.input === undefined && iss.path !== undefined && iss.path.length > 0) {
    if (['invalid_type', 'invalid_value', 'invalid_union'].includes(iss.code)) return 'is required';
  }
  switch (iss.code) {
    case 'invalid_type': {
      if (iss.input === undefined) return 'is required';
      const want = EXPECTED[iss.expected] ?? 'something else';
      return `must be ${want}, not ${kindOf(iss.input)}`;
    }
    case 'too_small':
    case 'too_big':
      return sizeMessage(iss);
    case 'invalid_format':
      return FORMATS[iss.format] ?? 'is not in the right form';
    case 'invalid_value': {
      const values = iss.values.map(quote);
      if (values.length === 1) return `must be ${values[0]}`;
      return values.length <= 12
        ? `must be one of ${values.join(', ')}`
        : 'is not one of the values allowed here';
    }
    case 'not_multiple_of':
      return `must be a multiple of ${String(iss.divisor)}`;
    case 'unrecognized_keys':
      return `has fields this request does not take: ${iss.keys.join(', ')}`;
    case 'invalid_key':
      return 'has a name that is not allowed here';
    case 'invalid_element':
      return 'has an entry that is not allowed here';
    case 'invalid_union': {
      const tag = (iss as { discriminator?: string; options?: unknown[] }).options;
      if (Array.isArray(tag) && tag.length > 0 && tag.length <= 12)
        return `must be one of ${tag.map(quote).join(', ')}`;
      return 'does not match any of the forms allowed here';
    }
    case 'custom':
      return 'is not allowed here';
    default:
      return 'is not allowed here';
  }
}
