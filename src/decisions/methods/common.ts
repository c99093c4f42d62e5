// Validation shared by the methods: proposal options, reasons, option references in votes.
import { z } from 'zod';
import { ok, type Result } from '../../shared/result.ts';
import { decisionsFail } from '../decisions.errors.ts';

export const REASON_MAX = 2000;
export const MAX_OPTIONS = 100;
export const OPTION_MAX_LENGTH = 200;

export const optionalReason = z.string().trim().max(REASON_MAX).optional();

/** Adds an issue on `reason` unless a non-empty one was given (object, block, advice). */
export function requireReason(reason: string | undefined, ctx: z.RefinementCtx, why: string): void {
  if (reason === undefined || reason === '')
    ctx.addIssue({ code: 'custom', path: ['reason'], message: `a reason is required ${why}` });
}

/** Methods that ask a plain question take no options. */
export function validateNoOptions(options: readonly string[] | undefined): Result<string[]> {
  if (options !== undefined && options.length > 0)
    return decisionsFail('options_not_allowed', 'This method takes no options', {
      field: 'options',
    });
  return ok([]);
}

/**
 * Options of a choice method: 2..MAX_OPTIONS non-empty texts, trimmed, with no two the
 * same ignoring case (they would be indistinguishable on a ballot). `__proto__` is
 * refused because vote bodies key scores and points by option name.
 */
export function validateChoiceOptions(
  options: readonly string[] | undefined,
  min = 2,
): Result<string[]> {
  if (options === undefined || options.length === 0)
    return decisionsFail('options_missing', 'This method needs options to choose from', {
      field: 'options',
    });
  if (options.length < min)
    return decisionsFail('options_missing', `This method needs at least ${min} options`, {
      field: 'options',
    });
  if (options.length > MAX_OPTIONS)
    return decisionsFail('too_many_options', `At most ${MAX_OPTIONS} options`, {
      field: 'options',
    });
  const seen = new Set<string>();
  const cleaned: string[] = [];
  for (const [i, raw] of options.entries()) {
    const option = typeof raw === 'string' ? raw.trim() : '';
    if (option === '' || option.length > OPTION_MAX_LENGTH || option === '__proto__') {
      return decisionsFail(
        'option_invalid',
        `Each option must be 1–${OPTION_MAX_LENGTH} characters`,
        { field: `options.${i}` },
      );
    }
    const key = option.toLowerCase();
    if (seen.has(key))
      return decisionsFail('options_duplicated', `The option "${option}" is listed twice`, {
        field: `options.${i}`,
      });
    seen.add(key);
    cleaned.push(option);
  }
  return ok(cleaned);
}

/** Flags unknown and repeated options in a list of option names (a ranking, a set of slots). */
export function checkOptionList(
  list: readonly string[],
  known: ReadonlySet<string>,
  field: string,
  ctx: z.RefinementCtx,
): void {
  const seen = new Set<string>();
  for (const [i, option] of list.entries()) {
    if (!known.has(option))
      ctx.addIssue({
        code: 'custom',
        path: [field, i],
        message: `"${option}" is not one of the options`,
      });
    else if (seen.has(option))
      ctx.addIssue({
        code: 'custom',
        path: [field, i],
        message: `"${option}" is listed more than once`,
      });
    seen.add(option);
  }
}

/** Flags keys of a per-option record that are not options. */
export function checkOptionKeys(
  record: Record<string, unknown>,
  known: ReadonlySet<string>,
  field: string,
  ctx: z.RefinementCtx,
): void {
  for (const option of Object.keys(record)) {
    if (!known.has(option))
      ctx.addIssue({
        code: 'custom',
        path: [field, option],
        message: `"${option}" is not one of the options`,
      });
  }
}

/** A choice among the proposal's options. */
export const optionName = (known: ReadonlySet<string>) =>
  z.string().refine((o) => known.has(o), { message: 'not one of the options' });
