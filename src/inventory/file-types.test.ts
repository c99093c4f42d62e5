import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isStorableText } from '../shared/text.ts';
import { classify, contentDisposition, safeName, servedType, textCheck } from './file-types.ts';

const png = { mime: 'image/png', ext: 'png' };
const jpeg = { mime: 'image/jpeg', ext: 'jpg' };

describe('classify', () => {
  it('takes an allowed type from the bytes and keeps a name that agrees with it', () => {
    assert.deepEqual(classify(png, false, 'photo.png'), {
      ok: true,
      type: 'image/png',
      name: 'photo.png',
    });
    assert.deepEqual(classify(jpeg, false, 'photo.JPEG'), {
      ok: true,
      type: 'image/jpeg',
      name: 'photo.JPEG',
    });
  });

  it('makes the name end as the bytes are', () => {
    const pdf = { mime: 'application/pdf', ext: 'pdf' };
    assert.deepEqual(classify(pdf, false, 'invoice.exe'), {
      ok: true,
      type: 'application/pdf',
      name: 'invoice.exe.pdf',
    });
    assert.equal((classify(jpeg, false, 'photo.png') as { name: string }).name, 'photo.png.jpg');
  });

  it('refuses sniffed types outside the allowed set, whatever the name', () => {
    for (const sniffed of [
      { mime: 'application/x-msdownload', ext: 'exe' },
      { mime: 'application/x-elf', ext: 'elf' },
      { mime: 'application/xml', ext: 'xml' },
      { mime: 'application/vnd.ms-word.document.macroenabled.12', ext: 'docm' },
    ])
      assert.equal(classify(sniffed, false, 'holiday.png').ok, false, sniffed.mime);
  });

  it('types text by its extension, and refuses text named as something else', () => {
    assert.equal((classify(undefined, true, 'notes.md') as { type: string }).type, 'text/markdown');
    assert.equal((classify(undefined, true, 'data.CSV') as { type: string }).type, 'text/csv');
    assert.equal((classify(undefined, true, 'a.txt') as { type: string }).type, 'text/plain');
    assert.deepEqual(classify(undefined, true, 'README'), {
      ok: true,
      type: 'text/plain',
      name: 'README.txt',
    });
    for (const name of ['evil.png', 'page.html', 'drawing.svg', 'run.exe'])
      assert.equal(classify(undefined, true, name).ok, false, name);
  });

  it('refuses bytes that are neither a known type nor text', () => {
    assert.equal(classify(undefined, false, 'blob.txt').ok, false);
  });
});

describe('safeName', () => {
  it('keeps the last path segment and drops what disguises a name', () => {
    assert.equal(safeName('../../etc/passwd'), 'passwd');
    assert.equal(safeName('C:\\Users\\me\\report.pdf'), 'report.pdf');
    assert.equal(safeName('in\u0000voice\r\n.pdf'), 'invoice.pdf');
    assert.equal(safeName('cod\u202Egnp.exe'), 'codgnp.exe');
    assert.equal(safeName('.htaccess'), 'htaccess');
    assert.equal(safeName('   '), 'file');
    assert.equal(safeName('dir/'), 'file');
    assert.equal(safeName('Cafe\u0301.txt'), 'Café.txt');
  });

  it('shortens long names but keeps the extension', () => {
    const name = safeName(`${'é'.repeat(500)}.pdf`);
    assert.equal([...name].length, 200);
    assert.ok(name.endsWith('.pdf'));
  });

  it('always gives a short, storable name without separators or controls', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (raw) => {
        const name = safeName(raw);
        assert.ok(name.length > 0);
        assert.ok([...name].length <= 200);
        assert.ok(isStorableText(name));
        // eslint-disable-next-line no-control-regex -- control characters are what this looks for
        assert.doesNotMatch(name, /[/\\\u0000-\u001f\u007f\u202e]/);
        assert.ok(!name.startsWith('.'));
      }),
    );
  });
});

describe('contentDisposition', () => {
  it('is an attachment with an ASCII fallback and the exact name in filename*', () => {
    assert.equal(
      contentDisposition('Plan de récolte "v2".pdf'),
      `attachment; filename="Plan de r_colte _v2_.pdf"; filename*=UTF-8''Plan%20de%20r%C3%A9colte%20%22v2%22.pdf`,
    );
  });

  it('is a valid header for any safe name and gives the name back', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (raw) => {
        const name = safeName(raw);
        const value = contentDisposition(name);
        assert.match(value, /^[\x20-\x7e]+$/);
        assert.doesNotThrow(() => new Headers({ 'content-disposition': value }));
        const star = /filename\*=UTF-8''(.*)$/.exec(value)![1]!;
        assert.doesNotMatch(star, /['()*\s;"]/);
        assert.equal(decodeURIComponent(star), name);
        const fallback = /filename="([^"]*)"/.exec(value)![1]!;
        assert.equal(fallback.length, name.length);
      }),
    );
  });
});

describe('textCheck', () => {
  const check = (chunks: Uint8Array[]) => {
    const t = textCheck();
    for (const c of chunks) t.push(c);
    return t.end(chunks.reduce((n, c) => n + c.length, 0));
  };

  it('accepts UTF-8 text split anywhere, even inside a character', () => {
    fc.assert(
      fc.property(
        fc
          .string({ unit: 'grapheme', minLength: 1, maxLength: 200 })
          // eslint-disable-next-line no-control-regex -- control characters are what this looks for
          .filter((s) => !/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(s)),
        fc.array(fc.nat(), { maxLength: 5 }),
        (text, cuts) => {
          const bytes = new TextEncoder().encode(text);
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort(
            (a, b) => a - b,
          );
          const chunks: Uint8Array[] = [];
          let from = 0;
          for (const p of [...points, bytes.length]) {
            chunks.push(bytes.subarray(from, p));
            from = p;
          }
          assert.equal(check(chunks), true);
        },
      ),
    );
  });

  it('refuses NUL, control characters, broken UTF-8 and nothing at all', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    assert.equal(check([enc('tab\there\r\nok\f')]), true);
    assert.equal(check([enc('a\u0000b')]), false);
    assert.equal(check([enc('bell\u0007')]), false);
    assert.equal(check([new Uint8Array([0x61, 0xff, 0x62])]), false);
    assert.equal(check([new Uint8Array([0xc3])]), false, 'a character cut off at the end');
    assert.equal(check([]), false);
  });
});

describe('servedType', () => {
  it('names UTF-8 for text', () => {
    assert.equal(servedType('text/markdown'), 'text/markdown; charset=utf-8');
    assert.equal(servedType('image/png'), 'image/png');
  });
});
