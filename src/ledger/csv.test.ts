import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { csvCell } from './csv.ts';

/** Splits one CSV line as a spreadsheet does: a quote opens a quoted part only at a cell's start. */
function fields(line: string, sep: ',' | ';'): string[] {
  const out: string[] = [];
  let cur = '';
  let start = true;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted && ch === '"' && line[i + 1] === '"') {
      cur += '"';
      i++;
    } else if (quoted && ch === '"') {
      quoted = false;
    } else if (quoted) {
      cur += ch;
    } else if (ch === sep) {
      out.push(cur);
      cur = '';
      start = true;
    } else if (ch === '"' && start) {
      quoted = true;
      start = false;
    } else {
      cur += ch;
      start = false;
    }
  }
  out.push(cur);
  return out;
}

// What a spreadsheet runs: a cell whose first non-blank character starts a formula.
const RUNS = /^[\s\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r]/;
const TRIGGERS = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠', ' ', '\u3000', ';', '"'];
const risky = fc
  .array(fc.oneof(fc.constantFrom(...TRIGGERS), fc.string({ maxLength: 3 })), { maxLength: 12 })
  .map((parts) => parts.join(''));

describe('CSV cells', () => {
  it('neutralises the formula starts OWASP lists', () => {
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('=1+1'), "'=1+1");
    assert.equal(csvCell('+1'), "'+1");
    assert.equal(csvCell('-1'), "'-1");
    assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvCell('\t=1'), "'\t=1");
    assert.equal(csvCell('\rx'), `"'\rx"`);
    assert.equal(csvCell('   =HYPERLINK("x")'), `"'   =HYPERLINK(""x"")"`);
    assert.equal(csvCell('＝1+1'), "'＝1+1");
    assert.equal(csvCell('rent;=cmd|calc'), `"rent;'=cmd|calc"`);
    assert.equal(csvCell('a; -2'), `"a;' -2"`);
    assert.equal(csvCell('a;"=1'), `"a;'""=1"`);
    assert.equal(csvCell(-5), '-5');
  });

  it('never leaves a cell a spreadsheet would run, with either separator', () => {
    fc.assert(
      fc.property(risky, (memo) => {
        const line = `1,${csvCell(memo)},2`;
        const comma = fields(line, ',');
        assert.equal(comma.length, 3, 'one cell stays one cell');
        for (const sep of [',', ';'] as const)
          for (const f of fields(line, sep)) assert.doesNotMatch(f, RUNS, JSON.stringify(f));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps text that starts no formula exactly as written', () => {
    fc.assert(
      fc.property(fc.string(), (memo) => {
        fc.pre(!/[=+\-@\uff1d\uff0b\uff0d\uff20\t\r]/.test(memo));
        assert.deepEqual(fields(csvCell(memo), ','), [memo]);
      }),
    );
  });
});
