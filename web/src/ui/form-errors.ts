import { useCallback, useMemo, useState } from 'react';
import type { ApiError } from '../api/client.ts';

/** The first segment of an API error's field ('tags.2' → 'tags'). */
const head = (field: string) => field.split(/[.[]/)[0] ?? field;

/** The server prefixes field messages with the field's path; beside the field, that is noise. */
const withoutPrefix = (e: ApiError) =>
  e.field && e.message.startsWith(`${e.field}: `) ? e.message.slice(e.field.length + 2) : e.message;

/**
 * Places an API error beside the field it names when the form has that field,
 * otherwise at the top of the form.
 */
export function useFormErrors(fields: readonly string[]) {
  const [error, setError] = useState<ApiError | null>(null);
  const fieldName = error?.field ? head(error.field) : null;
  const onForm = fieldName !== null && fields.includes(fieldName) ? fieldName : null;

  const show = useCallback(
    (e: ApiError, form?: HTMLFormElement | null) => {
      setError(e);
      const name = e.field ? head(e.field) : null;
      if (!form || !name || !fields.includes(name)) return;
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
      field: (name: string) => (error && onForm === name ? withoutPrefix(error) : undefined),
      form: error && onForm === null ? error.message : undefined,
    }),
    [error, onForm, show],
  );
}
export type FormErrors = ReturnType<typeof useFormErrors>;
