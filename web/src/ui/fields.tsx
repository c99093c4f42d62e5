import { useId, type ComponentProps, type ReactNode } from 'react';

type Common = { label: string; hint?: ReactNode; error?: string | undefined };

function describedBy(
  hintId: string,
  errorId: string,
  hint: unknown,
  error: unknown,
): string | undefined {
  const ids = [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

function Extras({
  hint,
  error,
  hintId,
  errorId,
}: {
  hint?: ReactNode;
  error?: string | undefined;
  hintId: string;
  errorId: string;
}) {
  return (
    <>
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
    </>
  );
}

export function TextField({
  label,
  hint,
  error,
  className,
  ...input
}: Common & ComponentProps<'input'>) {
  const id = useId();
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(`${id}h`, `${id}e`, hint, error)}
        {...input}
      />
      <Extras hint={hint} error={error} hintId={`${id}h`} errorId={`${id}e`} />
    </div>
  );
}

export function TextArea({ label, hint, error, ...area }: Common & ComponentProps<'textarea'>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(`${id}h`, `${id}e`, hint, error)}
        {...area}
      />
      <Extras hint={hint} error={error} hintId={`${id}h`} errorId={`${id}e`} />
    </div>
  );
}

export function SelectField({
  label,
  hint,
  error,
  options,
  ...select
}: Common & ComponentProps<'select'> & { options: readonly { value: string; label: string }[] }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(`${id}h`, `${id}e`, hint, error)}
        {...select}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Extras hint={hint} error={error} hintId={`${id}h`} errorId={`${id}e`} />
    </div>
  );
}

export function CheckboxField({ label, hint, error, ...input }: Common & ComponentProps<'input'>) {
  const id = useId();
  return (
    <div className="field checkbox">
      <input
        id={id}
        type="checkbox"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(`${id}h`, `${id}e`, hint, error)}
        {...input}
      />
      <label htmlFor={id}>{label}</label>
      <Extras hint={hint} error={error} hintId={`${id}h`} errorId={`${id}e`} />
    </div>
  );
}

/** The form-level message: errors the API did not tie to a field on this form. */
export function FormError({ message }: { message: string | undefined }) {
  return (
    <div role="alert" className={message ? 'form-error' : 'form-error empty'}>
      {message ?? ''}
    </div>
  );
}
