import { useCallback, useMemo, useState } from 'react';
import type { ApiError } from '../api/client.ts';

/** The first segment of an API error's field ('tags.2' → 'tags'). */
const head = (field: string) => field.split(/[.[]/)[0] ?? field;

/** The server prefixes field messages with the field's path; beside the field, that is noise. */
const withoutPrefix = (e: ApiError) =>
  e.field && e.message.startsWith(`${e.field}: `) ? e.message.slice(e.field.length + 2) : e.message;

/** "must not be empty" → "Must not be empty." — a field's message as a sentence of its own. */
export const asSentence = (s: string): string => {
  const t = s.trim();
  if (!t) return t;
  const first = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?…]$/.test(first) ? first : `${first}.`;
};

/** Each field of the form the error names, with its message (the first for a field). */
function messagesOn(e: ApiError, fields: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (e.field && fields.includes(head(e.field))) out.set(head(e.field), withoutPrefix(e));
  for (const [path, message] of Object.entries(e.fields ?? {})) {
    const name = head(path);
    if (fields.includes(name) && !out.has(name)) out.set(name, message);
  }
  return out;
}

/**
 * Places an API error beside the field it names when the form has that field,
 * otherwise at the top of the form.
 */
export function useFormErrors(fields: readonly string[]) {
  const [error, setError] = useState<ApiError | null>(null);
  const onForm = useMemo(
    () => (error ? messagesOn(error, fields) : new Map<string, string>()),
    [error, fields],
  );

  const show = useCallback(
    (e: ApiError, form?: HTMLFormElement | null) => {
      setError(e);
      const name = messagesOn(e, fields).keys().next().value;
      if (!form || !name) return;
      // Let the message render first, then move focus so the field and its message are announced.
      requestAnimationFrame(() => {
        const el = form.elements.namedItem(name);
        if (el instanceof HTMLElement) el.focus();
      });
    },
    [fields],
  );

  return useMemo(
    () => ({
      show,
      clear: () => setError(null),
      field: (name: string) => {
        const m = onForm.get(name);
        return m === undefined ? undefined : asSentence(m);
      },
      form: error && onForm.size === 0 ? error.message : undefined,
    }),
    [error, onForm, show],
  );
}
export type FormErrors = ReturnType<typeof useFormErrors>;
