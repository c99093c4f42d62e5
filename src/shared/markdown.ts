import { Marked, type Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';

// Markdown is rendered once, when it is written, and the html is stored. Two layers keep a
// user's raw HTML off every page: the renderer escapes any HTML in the source, and the
// result then passes through an allow-list sanitizer anyway.

export const LINK_REL = 'nofollow ugc noopener';
const LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** An absolute http(s) or mailto URL in normalised form, or null for anything else (relative, javascript:, data:, …). */
export function safeHref(href: string | null | undefined): string | null {
  if (!href) return null;
  let url: URL;
  try {
    url = new URL(href.trim());
  } catch {
    return null;
  }
  return LINK_PROTOCOLS.has(url.protocol) ? url.href : null;
}

const markdown = new Marked({ gfm: true, breaks: false, async: false });
markdown.use({
  renderer: {
    // Raw HTML in the source is shown as text, never passed through.
    html(token: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(token.text);
    },
    link(token: Tokens.Link) {
      const text = this.parser.parseInline(token.tokens);
      const href = safeHref(token.href);
      return href === null ? text : `<a href="${escapeHtml(href)}">${text}</a>`;
    },
    // The CSP allows only our own images; a remote image becomes a link to it instead.
    image(token: Tokens.Image) {
      const label = escapeHtml(token.text || token.href);
      const href = safeHref(token.href);
      return href === null ? label : `<a href="${escapeHtml(href)}">${label}</a>`;
    },
    // Task-list checkboxes would need <input>; a plain marker keeps the allow-list small.
    checkbox({ checked }: Tokens.Checkbox) {
      return checked ? '[x] ' : '[ ] ';
    },
  },
});

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'em',
    'strong',
    'code',
    'pre',
    'blockquote',
    'ul',
    'ol',
    'li',
    'a',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'hr',
    'br',
    'del',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: {
    a: ['href', 'rel'],
    code: ['class'],
    ol: ['start'],
    th: [{ name: 'align', multiple: false, values: ['left', 'center', 'right'] }],
    td: [{ name: 'align', multiple: false, values: ['left', 'center', 'right'] }],
  },
  allowedClasses: { code: ['language-*'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    // Every link gets our rel and loses anything else (target, title, event handlers).
    a: (_tagName, attribs) => {
      const href = safeHref(attribs.href);
      const kept: sanitizeHtml.Attributes =
        href === null ? { rel: LINK_REL } : { href, rel: LINK_REL };
      return { tagName: 'a', attribs: kept };
    },
  },
};

/** Markdown source → sanitized HTML safe to place in a page. Pure and synchronous. */
export function renderMarkdown(source: string): string {
  const raw = markdown.parse(source, { async: false });
  return sanitizeHtml(raw, SANITIZE_OPTIONS);
}
