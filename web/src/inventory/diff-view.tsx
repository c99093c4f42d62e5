import type { DiffPart, ItemDiff } from '../api/inventory.ts';

const FIELD_LABELS: Record<string, string> = {
  kind: 'Kind',
  tags: 'Tags',
  visibility: 'Who can see it',
  license: 'License',
  url: 'Address',
  estimate: 'Estimate',
};

const changed = (parts: DiffPart[]) => parts.some((p) => p.op !== 'same');

const shown = (v: unknown): string =>
  v === null || v === undefined
    ? '(none)'
    : Array.isArray(v)
      ? v.length === 0
        ? '(none)'
        : v.join(', ')
      : String(v);

/**
 * Removed text struck through, added text underlined: marked by element and, for screen
 * readers, in words, never by colour alone.
 */
export function DiffParts({ parts }: { parts: DiffPart[] }) {
  return (
    <>
      {parts.map((p, i) =>
        p.op === 'added' ? (
          <ins key={i}>
            <span className="visually-hidden">[added: </span>
            {p.text}
            <span className="visually-hidden">]</span>
          </ins>
        ) : p.op === 'removed' ? (
          <del key={i}>
            <span className="visually-hidden">[removed: </span>
            {p.text}
            <span className="visually-hidden">]</span>
          </del>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </>
  );
}

export function DiffView({ diff }: { diff: ItemDiff }) {
  const title = changed(diff.title);
  const body = changed(diff.body);
  if (!title && !body && diff.fields.length === 0)
    return <p className="muted">No differences between these versions.</p>;
  return (
    <div className="diff">
      {title ? (
        <section className="diff-field" aria-label="Changes to the title">
          <h4 className="small-heading">Title</h4>
          <p className="diff-text">
            <DiffParts parts={diff.title} />
          </p>
        </section>
      ) : null}
      {body ? (
        <section className="diff-field" aria-label="Changes to the text">
          <h4 className="small-heading">Text</h4>
          <pre className="diff-text">
            <DiffParts parts={diff.body} />
          </pre>
        </section>
      ) : null}
      {diff.fields.length > 0 ? (
        <dl className="facts diff-fields">
          {diff.fields.map((f) => (
            <div key={f.name}>
              <dt>{FIELD_LABELS[f.name] ?? f.name}</dt>
              <dd>
                <del>{shown(f.from)}</del> → <ins>{shown(f.to)}</ins>
              </dd>
            </div>
          ))}
        </dl>
      ) : null}
    </div>
  );
}
