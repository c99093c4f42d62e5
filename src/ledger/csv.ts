// OWASP CSV injection: a cell a spreadsheet would read as a formula gets a leading quote.
// Spreadsheets skip leading blanks and quotes, read full-width signs as ASCII ones, and in
// locales whose separator is `;` split a cell there, so each `;`-part is checked too.
const FORMULA = /^[\s\u3000"]*[=+\-@\uff1d\uff0b\uff0d\uff20\t\r]/;

const neutralise = (part: string): string => (FORMULA.test(part) ? `'${part}` : part);

/** One CSV cell: text neutralised and quoted where needed; numbers as they are. */
export function csvCell(v: string | number): string {
  if (typeof v === 'number') return String(v);
  const s = v.split(';').map(neutralise).join(';');
  return /[",;\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
