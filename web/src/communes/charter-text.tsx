import type { Commune } from '../api/types.ts';
import { ServerHtml } from '../discussions/post-controls.tsx';

// A charter's vision and agreements are Markdown; the server renders and sanitizes them as it
// does comments (visionHtml, agreementsHtml), and only that HTML is placed in the page.

type CharterText = Pick<Commune, 'vision' | 'visionHtml' | 'agreements' | 'agreementsHtml'>;

export function VisionText({ commune, short }: { commune: CharterText; short?: boolean }) {
  return <ServerHtml html={commune.visionHtml} className={short ? 'vision clamped' : 'vision'} />;
}

/** The agreements, numbered; each one's Markdown as the server rendered it. */
export function AgreementList({ commune }: { commune: CharterText }) {
  return (
    <ol className="agreements">
      {commune.agreements.map((_, i) => (
        <li key={i}>
          <ServerHtml html={commune.agreementsHtml[i] ?? ''} className="agreement" />
        </li>
      ))}
    </ol>
  );
}
