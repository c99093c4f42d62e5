import { useMemo, type ReactNode } from 'react';

/**
 * A search snippet: the server sanitizes it and marks the matches with <mark>. It is read
 * here as a parsed, inert document and rebuilt from its text and <mark> elements only, so
 * nothing else in it can ever become markup.
 */
export function snippetParts(html: string): { text: string; marked: boolean }[] {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  const parts: { text: string; marked: boolean }[] = [];
  const walk = (node: Node, marked: boolean) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) parts.push({ text: child.textContent ?? '', marked });
      else if (child instanceof Element) walk(child, marked || child.tagName === 'MARK');
    }
  };
  walk(doc.body, false);
  return parts;
}

export function Snippet({ html }: { html: string }) {
  const nodes = useMemo<ReactNode[]>(
    () =>
      snippetParts(html).map((p, i) =>
        p.marked ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>,
      ),
    [html],
  );
  return <p className="snippet">{nodes}</p>;
}
