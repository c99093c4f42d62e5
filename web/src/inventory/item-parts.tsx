import { isTombstone, type ForkedFrom, type Item } from '../api/inventory.ts';
import { communePath } from '../communes/labels.ts';
import { Link } from '../router.tsx';
import { When } from '../ui/page.tsx';
import { Person } from '../ui/person.tsx';
import { KIND_LABELS, communeItemsPath, itemPath } from './labels.ts';

/**
 * Markdown the server rendered and sanitized, injected the way thread comments are: only
 * a field the server made safe, never anything typed in this browser.
 */
export function ServerHtml({ html, className }: { html: string; className?: string }) {
  return <div className={`prose ${className ?? ''}`} dangerouslySetInnerHTML={{ __html: html }} />;
}

export function KindBadge({ kind }: { kind: Item['kind'] }) {
  return <span className={`badge kind-${kind}`}>{KIND_LABELS[kind] ?? kind}</span>;
}

/** Tags link to the commune's inventory filtered by that tag. */
export function ItemTags({ tags, commune }: { tags: string[]; commune: string }) {
  if (tags.length === 0) return null;
  return (
    <ul className="tags" aria-label="Tags">
      {tags.map((t) => (
        <li key={t}>
          <Link to={communeItemsPath(commune, { tag: t })}>#{t}</Link>
        </li>
      ))}
    </ul>
  );
}

/** "Forked from the original (version n) by @author in @commune": kept when the original goes. */
export function Attribution({ from }: { from: ForkedFrom }) {
  return (
    <p className="attribution small">
      Forked from <Link to={itemPath(from.item)}>the original</Link> (version {from.version}) by{' '}
      <Person person={from.author} /> in <Link to={communePath(from.commune)}>@{from.commune}</Link>
    </p>
  );
}

/** One line of a list of items: kind, title, author, date and tags. */
export function ItemRow({ item, showCommune = false }: { item: Item; showCommune?: boolean }) {
  const gone = isTombstone(item);
  return (
    <article className={`item-row${gone ? ' tombstone' : ''}`}>
      <h3>
        <KindBadge kind={item.kind} /> <Link to={itemPath(item.id)}>{item.title}</Link>
      </h3>
      <p className="meta small">
        <Person person={item.author} />
        {showCommune ? <Link to={communePath(item.commune)}>@{item.commune}</Link> : null}
        <span>
          <When iso={item.updatedAt || item.createdAt} />
        </span>
        {gone ? <span>Deleted</span> : null}
      </p>
      {!gone ? <ItemTags tags={item.tags} commune={item.commune} /> : null}
    </article>
  );
}
