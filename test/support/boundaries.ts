// Reads TypeScript sources for the tables they name, for the context-boundary test (ADR 0013).
import ts from 'typescript';

export type Finding = { line: number; found: string; snippet: string };

// Raw SQL names its tables after these words; Kysely calls name them as string arguments.
const SQL_TABLE = /\b(?:from|join|into|update)\s+"?([a-z_][a-z0-9_]*)"?/gi;
const SQL_WRITE =
  /\b(insert\s+into|update\s+"?[a-z_][a-z0-9_]*"?\s+set|delete\s+from|truncate|drop|alter)\b/gi;
const WRITE_CALLS: ReadonlySet<string> = new Set([
  'insertInto',
  'replaceInto',
  'updateTable',
  'deleteFrom',
  'mergeInto',
  'truncateTable',
]);

/** Every piece of literal text in the file, comments left out: strings and template parts. */
function literals(source: string, fileName: string): { text: string; node: ts.Node }[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const out: { text: string; node: ts.Node }[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    )
      out.push({ text: node.text, node });
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}

function at(node: ts.Node, found: string): Finding {
  const file = node.getSourceFile();
  const line = file.getLineAndCharacterOfPosition(node.getStart()).line + 1;
  return { line, found, snippet: node.getText().slice(0, 80) };
}

/**
 * The tables a file names: a string that is a table or starts with one (`'accounts'`,
 * `'accounts as a'`, `'accounts.handle'`), or a table after from/join/into/update in raw SQL.
 */
export function tablesNamed(
  source: string,
  fileName: string,
  tables: ReadonlySet<string>,
): Finding[] {
  const found: Finding[] = [];
  for (const { text, node } of literals(source, fileName)) {
    const head = /^\s*([a-z_][a-z0-9_]*)(?:\s+as\s+\w+|\.\w+(?:\s+as\s+\w+)?)?\s*$/i.exec(text);
    if (head && tables.has(head[1]!)) found.push(at(node, head[1]!));
    for (const m of text.matchAll(SQL_TABLE))
      if (tables.has(m[1]!) && m[1] !== head?.[1]) found.push(at(node, m[1]!));
  }
  return found;
}

/** Whatever in a file would write: Kysely's write builders, or a write statement in raw SQL. */
export function writesIn(source: string, fileName: string): Finding[] {
  const found: Finding[] = [];
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && WRITE_CALLS.has(node.name.text))
      found.push(at(node, node.name.text));
    ts.forEachChild(node, visit);
  };
  visit(file);
  for (const { text, node } of literals(source, fileName))
    for (const m of text.matchAll(SQL_WRITE)) found.push(at(node, m[1]!.toLowerCase()));
  return found;
}

const QUERY_CALLS: ReadonlySet<string> = new Set([...WRITE_CALLS, 'selectFrom', 'executeQuery']);

/** Where a file runs SQL: Kysely's query builders, a compiled query, or a `sql` template. */
export function sqlIn(source: string, fileName: string): Finding[] {
  const found: Finding[] = [];
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && QUERY_CALLS.has(node.name.text))
      found.push(at(node, node.name.text));
    if (ts.isTaggedTemplateExpression(node) && /^sql\b/.test(node.tag.getText()))
      found.push(at(node, 'sql`…`'));
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}
