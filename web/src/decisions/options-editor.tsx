import { useEffect, useId, useRef } from 'react';

/** datetime-local wants "2030-01-31T18:00" in local time. */
export function toLocalInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value as an ISO time, or null when it is not one. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/**
 * A list of inputs that grows and shrinks: each with its own label, a remove button, and
 * "Add" at the end. Focus moves to a new input when it is added, and to the previous one
 * when one is removed, so keyboard users never lose their place.
 */
export function ListEditor({
  legend,
  hint,
  error,
  items,
  onChange,
  itemLabel,
  addLabel,
  type = 'text',
  min = 0,
  max = 100,
}: {
  legend: string;
  hint?: string;
  error?: string | undefined;
  items: string[];
  onChange: (items: string[]) => void;
  itemLabel: (i: number) => string;
  addLabel: string;
  type?: 'text' | 'datetime-local';
  min?: number;
  max?: number;
}) {
  const id = useId();
  const box = useRef<HTMLFieldSetElement>(null);
  // Focus moves once the changed list has rendered.
  const pending = useRef<number | null>(null);
  useEffect(() => {
    const i = pending.current;
    pending.current = null;
    if (i === null) return;
    const inputs = box.current?.querySelectorAll('input');
    if (inputs && inputs.length > 0) inputs[Math.max(0, Math.min(i, inputs.length - 1))]?.focus();
    else box.current?.querySelector<HTMLButtonElement>('.actions button')?.focus();
  }, [items]);
  const focusInput = (i: number) => {
    pending.current = i;
  };
  const set = (i: number, v: string) => onChange(items.map((x, j) => (j === i ? v : x)));
  const remove = (i: number) => {
    onChange(items.filter((_, j) => j !== i));
    focusInput(i - 1);
  };
  const add = () => {
    onChange([...items, '']);
    focusInput(items.length);
  };
  return (
    <fieldset
      ref={box}
      className="list-editor"
      aria-describedby={
        [hint ? `${id}h` : '', error ? `${id}e` : ''].filter(Boolean).join(' ') || undefined
      }
    >
      <legend>{legend}</legend>
      {hint ? (
        <p id={`${id}h`} className="hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}e`} className="field-error">
          {error}
        </p>
      ) : null}
      {items.length > 0 ? (
        <ol className="list-editor-items">
          {items.map((value, i) => (
            <li key={i}>
              <label htmlFor={`${id}-${i}`} className="visually-hidden">
                {itemLabel(i)}
              </label>
              <input
                id={`${id}-${i}`}
                name="options"
                type={type}
                value={value}
                maxLength={type === 'text' ? 200 : undefined}
                aria-invalid={error ? true : undefined}
                onChange={(e) => set(i, e.target.value)}
              />
              <button
                type="button"
                className="secondary small"
                aria-label={`Remove ${itemLabel(i).toLowerCase()}`}
                disabled={items.length <= min}
                onClick={() => remove(i)}
              >
                Remove
              </button>
            </li>
          ))}
        </ol>
      ) : null}
      <div className="actions">
        <button
          type="button"
          className="secondary small"
          disabled={items.length >= max}
          onClick={add}
        >
          {addLabel}
        </button>
      </div>
    </fieldset>
  );
}
