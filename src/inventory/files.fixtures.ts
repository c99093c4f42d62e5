// Small factories for the files suites: items through the API, uploads as real multipart.
import type { TestApp } from '../../test/support/app.ts';

export const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489' +
    '0000000d4944415478da63f8cfc0f01f0005000201ffa2f3d0a80000000049454e44ae426082',
  'hex',
);
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
/** The start of a Windows executable: "MZ", then a DOS header. */
export const EXE = Buffer.concat([
  Buffer.from('4d5a90000300000004000000ffff0000', 'hex'),
  Buffer.alloc(200),
]);
export const HTML = Buffer.from(
  '<!doctype html><html><script>alert(document.cookie)</script></html>',
);

/** Writes an item; `kind` defaults to resource. */
export async function item(
  t: TestApp,
  token: string,
  commune: string,
  o: { visibility?: string; kind?: string; title?: string } = {},
): Promise<string> {
  const r = await t.post(
    `/api/v1/communes/${commune}/items`,
    {
      kind: o.kind ?? 'resource',
      title: o.title ?? 'Seed library',
      body: 'Seeds we keep for each other.',
      tags: ['seeds'],
      visibility: o.visibility ?? 'commune',
    },
    token,
  );
  if (r.status !== 201) throw new Error(`item: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id as string;
}

/** Posts one file as multipart/form-data in the field `file` (partType: the client's claim). */
export async function upload(
  t: TestApp,
  itemId: string,
  token: string | undefined,
  bytes: Uint8Array,
  name: string,
  partType = 'application/octet-stream',
) {
  const form = new FormData();
  form.append('file', new File([new Uint8Array(bytes)], name, { type: partType }));
  return send(t, itemId, token, form);
}

/** Posts any body to the upload route. */
export async function send(
  t: TestApp,
  itemId: string,
  token: string | undefined,
  body: BodyInit,
  headers: Record<string, string> = {},
) {
  const res = await t.app.request(`/api/v1/items/${itemId}/files`, {
    method: 'POST',
    body,
    headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  const text = await res.text();
  let json: any = null; // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, body: json, headers: res.headers };
}

/** Downloads a file; the body as bytes. */
export async function download(
  t: TestApp,
  url: string,
  token?: string,
  headers: Record<string, string> = {},
) {
  const res = await t.app.request(url, {
    headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}
