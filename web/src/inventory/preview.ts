import { Marked, type Tokens } from 'marked';

/**
 * The editor's live preview, rendered in the browser as the person types. It follows the
 * server's rules (src/discussions/markdown.ts): raw HTML in the source is shown as text, only
 * http(s) and mailto links survive, images become links. The result then passes an
 * allow-list of tags and attributes, so nothing typed reaches the page as markup. What is
 * saved is rendered again by the server, and that is what the item page shows.
 */

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);

function safeHref(href: string | null | undefined): string | null {
  if (!href) return null;
  try {
    const url = new URL(href.trim());
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

const markdown = new Marked({ gfm: true, breaks: false, async: false });
markdown.use({
  renderer: {
    html(token: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(token.text);
    },
    link(token: Tokens.Link) {
      const text = this.parser.parseInline(token.tokens);
      const href = safeHref(token.href);
      return href === null ? text : `<a href="${escapeHtml(href)}">${text}</a>`;
    },
    image(token: Tokens.Image) {
      const label = escapeHtml(token.text || token.href);
      const href = safeHref(token.href);
      return href === null ? label : `<a href="${escapeHtml(href)}">${label}</a>`;
    },
    checkbox({ checked }: Tokens.Checkbox) {
      return checked ? '[x] ' : '[ ] ';
    },
  },
});

const ALLOWED_TAGS = new Set(
  'p em strong code pre blockquote ul ol li a h1 h2 h3 h4 h5 h6 hr br del table thead tbody tr th td'
    .toUpperCase()
    .split(' '),
);

/** Keeps allowed elements (unwrapping others) and only `href` on links, `start` on lists. */
function clean(node: Node): void {
  for (const child of [...node.childNodes]) {
    if (child.nodeType === Node.TEXT_NODE) continue;
    if (!(child instanceof Element)) {
      child.remove();
      continue;
    }
    clean(child);
    if (!ALLOWED_TAGS.has(child.tagName)) {
      child.replaceWith(...child.childNodes);
      continue;
    }
    for (const attr of [...child.attributes]) {
      const keep =
        (child.tagName === 'A' && attr.name === 'href' && safeHref(attr.value) !== null) ||
        (child.tagName === 'OL' && attr.name === 'start' && /^\d+$/.test(attr.value));
      if (!keep) child.removeAttribute(attr.name);
    }
    if (child.tagName === 'A') child.setAttribute('rel', 'nofollow ugc noopener');
  }
}

export function previewHtml(source: string): string {
  const raw = markdown.parse(source) as string;
  // A parsed document is inert: its scripts never run and its images never load.
  const doc = new DOMParser().parseFromString(`<body>${raw}</body>`, 'text/html');
  clean(doc.body);
  return doc.body.innerHTML;
}
