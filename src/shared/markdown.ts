import { Marked, type Token, type Tokens } from 'marked';
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

// `@handle` of a person who exists links to their page; any other `@word` stays text. The
// handles a text names are looked up before rendering (see mentionedHandles), so rendering
// stays pure; the set is read only while one synchronous parse runs.
let knownPeople: ReadonlySet<string> = new Set();
const MENTION = /(^|[^a-zA-Z0-9_@/`])@([a-zA-Z0-9_]{2,30})(?![a-zA-Z0-9_@])/g;

/** The handles a text may mention (`@ada`), lowercased, each once, at most `limit`. */
export function mentionedHandles(text: string, limit = 20): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(MENTION)) {
    found.add(m[2]!.toLowerCase());
    if (found.size >= limit) break;
  }
  return [...found];
}

/** A path the sanitizer lets through as it is: a mention's link to the person's page. */
const PERSON_PATH = /^\/people\/[a-z0-9_]{2,30}$/;
export const personPath = (handle: string) => `/people/${handle}`;

type MentionToken = { type: 'mention'; raw: string; handle: string };
type AnyToken = Token & { tokens?: Token[]; items?: Token[]; header?: unknown; rows?: unknown };

/** A plain text token split into text and mentions of known people; `before` is the character before it. */
function splitMentions(t: Tokens.Text, before: string): Token[] {
  if (t.tokens !== undefined || knownPeople.size === 0) return [t];
  const source = before + t.text;
  const out: Token[] = [];
  let last = before.length;
  for (const m of source.matchAll(MENTION)) {
    const handle = m[2]!.toLowerCase();
    if (!knownPeople.has(handle)) continue;
    const at = m.index + m[1]!.length;
    if (at > last) out.push({ ...t, raw: source.slice(last, at), text: source.slice(last, at) });
    const raw = `@${m[2]!}`;
    out.push({ type: 'mention', raw, handle } as MentionToken as unknown as Token);
    last = at + raw.length;
  }
  if (out.length === 0) return [t];
  if (last < source.length) out.push({ ...t, raw: source.slice(last), text: source.slice(last) });
  return out;
}

/** Walks a token tree, outside links and code, putting mention tokens in place of `@handle`. */
function placeMentions(tokens: Token[]): Token[] {
  const out: Token[] = [];
  let before = '';
  for (const token of tokens as AnyToken[]) {
    if (token.type === 'text') out.push(...splitMentions(token as Tokens.Text, before));
    else out.push(token);
    before = token.raw.slice(-1);
    if (['link', 'code', 'codespan', 'html'].includes(token.type)) continue;
    if (token.tokens) token.tokens = placeMentions(token.tokens);
    if (token.items) for (const item of token.items as AnyToken[]) placeInside(item);
    if (Array.isArray(token.header)) for (const cell of token.header) placeInside(cell);
    if (Array.isArray(token.rows))
      for (const row of token.rows as unknown[][]) for (const cell of row) placeInside(cell);
  }
  return out;
}
const placeInside = (holder: unknown) => {
  const h = holder as { tokens?: Token[] };
  if (h.tokens) h.tokens = placeMentions(h.tokens);
};

const markdown = new Marked({ gfm: true, breaks: false, async: false });
markdown.use({
  hooks: {
    processAllTokens(tokens) {
      if (knownPeople.size === 0) return tokens;
      const placed = placeMentions([...tokens]);
      tokens.splice(0, tokens.length, ...placed);
      return tokens;
    },
  },
  extensions: [
    {
      name: 'mention',
      renderer(token) {
        const { handle, raw } = token as unknown as MentionToken;
        return `<a href="${personPath(handle)}">${escapeHtml(raw)}</a>`;
      },
    },
  ],
});
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
      const href = PERSON_PATH.test(attribs.href ?? '') ? attribs.href! : safeHref(attribs.href);
      const kept: sanitizeHtml.Attributes =
        href === null ? { rel: LINK_REL } : { href, rel: LINK_REL };
      return { tagName: 'a', attribs: kept };
    },
  },
};

/**
 * Markdown source → sanitized HTML safe to place in a page. Pure and synchronous. `people`:
 * the handles (lowercase) of people who exist, among those the text mentions; each of their
 * `@handle`s becomes a link to their page, and every other `@word` stays text.
 */
export function renderMarkdown(source: string, people?: ReadonlySet<string>): string {
  knownPeople = people ?? new Set();
  try {
    const raw = markdown.parse(source, { async: false });
    return sanitizeHtml(raw, SANITIZE_OPTIONS);
  } finally {
    knownPeople = new Set();
  }
}
