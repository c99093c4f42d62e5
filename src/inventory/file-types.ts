// Which files an item may carry and how they are named on the way out; pure rules, no I/O.
// The type always comes from the bytes (file-type's sniffing, or the text check below), never
// from the client's Content-Type; the client's name only picks among text types, which have
// no magic bytes, and is otherwise made to agree with what the bytes are (ADR 0015).

/** A type file-type recognised from the bytes: its MIME type and usual extension. */
export type Sniffed = { mime: string; ext: string };

/** Allowed binary types, each with the extensions a name may already end in. */
export const BINARY_TYPES: Readonly<Record<string, readonly string[]>> = {
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  'image/avif': ['avif'],
  'application/pdf': ['pdf'],
  'application/rtf': ['rtf'],
  'application/epub+zip': ['epub'],
  'application/vnd.oasis.opendocument.text': ['odt'],
  'application/vnd.oasis.opendocument.spreadsheet': ['ods'],
  'application/vnd.oasis.opendocument.presentation': ['odp'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['xlsx'],
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': ['pptx'],
  'application/zip': ['zip'],
  'application/gzip': ['gz', 'tgz'],
  'application/x-tar': ['tar'],
  'application/x-bzip2': ['bz2'],
  'application/x-7z-compressed': ['7z'],
};

/** Text has no magic bytes: valid UTF-8 without control characters, typed by its extension. */
export const TEXT_TYPES: Readonly<Record<string, readonly string[]>> = {
  'text/plain': ['txt', 'text'],
  'text/markdown': ['md', 'markdown'],
  'text/csv': ['csv'],
};

export const ALLOWED_TYPES: readonly string[] = [
  ...Object.keys(BINARY_TYPES),
  ...Object.keys(TEXT_TYPES),
];

export type Classified = { ok: true; type: string; name: string } | { ok: false; reason: string };

const MAX_NAME = 200;
const FALLBACK_NAME = 'file';

/**
 * A name safe to store and to send: the last path segment, NFC, no control or bidi-override
 * characters, no leading dots, at most MAX_NAME characters (keeping the extension).
 */
export function safeName(raw: string): string {
  const base = raw.split(/[/\\]/).pop() ?? '';
  const clean = base
    .toWellFormed()
    .normalize('NFC')
    // C0/C1 controls, bidi overrides and isolates: they disguise an extension ("cod\u202Egnp.exe").
    // eslint-disable-next-line no-control-regex -- control characters are what this looks for
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .trim()
    .replace(/^\.+/, '');
  const chars = [...clean];
  if (chars.length === 0) return FALLBACK_NAME;
  if (chars.length <= MAX_NAME) return clean;
  const ext = extensionOf(clean);
  const keep = ext ? MAX_NAME - ext.length - 1 : MAX_NAME;
  return chars.slice(0, keep).join('') + (ext ? `.${ext}` : '');
}

/** The extension, lower-cased, or '' when the name has none. */
export function extensionOf(name: string): string {
  const m = /\.([A-Za-z0-9]{1,10})$/.exec(name);
  return m ? m[1]!.toLowerCase() : '';
}

/**
 * Decides a file's type from what its bytes are: an allowed sniffed type, or text. The name
 * is made to end in an extension of that type, so a PDF named "x.exe" is saved as "x.exe.pdf".
 */
export function classify(
  sniffed: Sniffed | undefined,
  isText: boolean,
  rawName: string,
): Classified {
  const name = safeName(rawName);
  const ext = extensionOf(name);
  if (sniffed) {
    const exts = BINARY_TYPES[sniffed.mime];
    if (!exts) return { ok: false, reason: `files of type ${sniffed.mime} are not accepted` };
    return { ok: true, type: sniffed.mime, name: exts.includes(ext) ? name : `${name}.${exts[0]}` };
  }
  if (!isText) return { ok: false, reason: 'the bytes are not of any accepted type' };
  if (ext === '') return { ok: true, type: 'text/plain', name: `${name}.txt` };
  for (const [type, exts] of Object.entries(TEXT_TYPES))
    if (exts.includes(ext)) return { ok: true, type, name };
  // Text named .html, .svg or .png: a browser or viewer would treat it as what the name says.
  return { ok: false, reason: `text files are accepted as .txt, .md or .csv, not .${ext}` };
}

/** The Content-Type a stored file is served with. */
export const servedType = (type: string): string =>
  type.startsWith('text/') ? `${type}; charset=utf-8` : type;

/**
 * RFC 6266: always an attachment, an ASCII fallback `filename` for old clients and the exact
 * name in `filename*` (RFC 8187 percent-encoding of UTF-8).
 */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * Checks, chunk by chunk, that bytes are UTF-8 text: valid sequences, no NUL and no control
 * characters but tab, line feed, form feed and carriage return.
 */
export function textCheck() {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let text = true;
  const look = (s: string) => {
    // eslint-disable-next-line no-control-regex -- control characters are what this looks for
    if (/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(s)) text = false;
  };
  return {
    push(chunk: Uint8Array): void {
      if (!text) return;
      try {
        look(decoder.decode(chunk, { stream: true }));
      } catch {
        text = false;
      }
    },
    /** True when every byte pushed made text (an empty file is not text). */
    end(seenBytes: number): boolean {
      if (!text) return false;
      try {
        look(decoder.decode());
      } catch {
        return false;
      }
      return text && seenBytes > 0;
    },
  };
}
