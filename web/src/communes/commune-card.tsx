import type { Commune } from '../api/types.ts';
import { Link } from '../router.tsx';
import { VisionText } from './charter-text.tsx';
import { JOIN_POLICY_SHORT, capacity, categoryLabel, communePath } from './labels.ts';

export function CommuneCard({ commune }: { commune: Commune }) {
  return (
    <article className="card">
      <h3>
        <Link to={communePath(commune.handle)}>{commune.name}</Link>{' '}
        <span className="handle">@{commune.handle}</span>
      </h3>
      <VisionText commune={commune} short />
      <p className="meta">
        <span>{categoryLabel(commune.category)}</span>
        <span>{JOIN_POLICY_SHORT[commune.joinPolicy] ?? commune.joinPolicy}</span>
        <span>{capacity(commune)}</span>
      </p>
      {commune.tags.length > 0 ? <TagList tags={commune.tags} /> : null}
    </article>
  );
}

export function TagList({ tags }: { tags: string[] }) {
  return (
    <ul className="tags" aria-label="Tags">
      {tags.map((t) => (
        <li key={t}>
          <Link to={`/?tag=${encodeURIComponent(t)}`}>#{t}</Link>
        </li>
      ))}
    </ul>
  );
}
