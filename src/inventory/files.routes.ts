import { Readable } from 'node:stream';
import { z } from 'zod';
import type { FilesConfig } from '../config.ts';
import { requireViewer, signedIn, viewerOf } from '../http/auth.ts';
import { declareRoute, jsonResponse, mount, openApiApp } from '../http/declare.ts';
import { respond, sendError } from '../http/errors.ts';
import { ALLOWED_TYPES, contentDisposition, servedType } from './file-types.ts';
import type { FilesService } from './files.service.ts';
import { inventoryFail } from './inventory.errors.ts';
import { itemParams } from './inventory.schemas.ts';
import { SEEN_ERRORS } from './items.routes.ts';

const tag = 'inventory';

/** Room for the multipart envelope (boundaries, part headers) around the largest file. */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/** A stored file is sandboxed wherever it is opened: no script, no plugin, no subresource. */
export const FILE_CSP = "default-src 'none'; sandbox";

export const itemFileSchema = z
  .object({
    sha256: z.string().meta({ description: 'SHA-256 of the bytes, hex; also the ETag' }),
    name: z.string().meta({ description: 'The uploaded name, made safe and matching the type' }),
    type: z.string().meta({ description: 'Sniffed from the bytes, never taken from the client' }),
    size: z.number().int().meta({ description: 'Bytes' }),
    url: z.string().meta({ description: 'Where to download it (same origin)' }),
    addedAt: z.string(),
  })
  .meta({ id: 'ItemFile' });

const filePageSchema = z
  .object({ items: z.array(itemFileSchema), next: z.null() })
  .meta({ id: 'ItemFilePage' });

const fileParams = itemParams.extend({
  sha256: z.string().meta({ description: 'The file’s SHA-256, hex' }),
});

const uploadForm = z.object({
  file: z.string().meta({
    format: 'binary',
    description: `One file; accepted types: ${ALLOWED_TYPES.join(', ')}`,
  }),
});

/** The upload route; its body allowance follows the configured file size. */
export const uploadItemFileRoute = (maxBytes: number) =>
  declareRoute({
    method: 'post',
    path: '/items/{id}/files',
    operationId: 'uploadItemFile',
    summary: `Add a file to a resource item (its author or a steward); at most ${maxBytes} bytes`,
    tag,
    access: 'signed_in',
    request: {
      params: itemParams,
      body: { required: true, content: { 'multipart/form-data': { schema: uploadForm } } },
    },
    responses: {
      201: jsonResponse(itemFileSchema, 'The file, stored'),
      200: jsonResponse(itemFileSchema, 'The same bytes were there already: that file'),
    },
    errors: [
      ...SEEN_ERRORS,
      'not_item_editor',
      'item_deleted',
      'not_a_resource',
      'malformed_multipart',
      'file_missing',
      'file_empty',
      'file_too_large',
      'file_type_not_allowed',
      'too_many_files',
    ],
    bodyLimit: maxBytes + MULTIPART_OVERHEAD_BYTES,
  });

export const listItemFiles = declareRoute({
  method: 'get',
  path: '/items/{id}/files',
  operationId: 'listItemFiles',
  summary: 'The item’s files, oldest first',
  tag,
  access: 'public',
  request: { params: itemParams },
  responses: { 200: jsonResponse(filePageSchema, 'Every file of the item (one page)') },
  errors: SEEN_ERRORS,
});

export const downloadItemFile = declareRoute({
  method: 'get',
  path: '/items/{id}/files/{sha256}',
  operationId: 'downloadItemFile',
  summary: 'A file of an item, as an attachment, to those who may see the item',
  tag,
  access: 'public',
  request: { params: fileParams },
  responses: {
    200: {
      description: `The bytes, with Content-Disposition: attachment, nosniff and CSP "${FILE_CSP}"`,
      content: { 'application/octet-stream': { schema: z.string().meta({ format: 'binary' }) } },
    },
    304: { description: 'If-None-Match named this file (its ETag is its sha256)' },
  },
  errors: [...SEEN_ERRORS, 'file_not_found'],
});

const MULTIPART = /^multipart\/form-data\s*;/i;

/** Whether an If-None-Match header names this ETag (or is *). */
const matches = (header: string | undefined, etag: string): boolean =>
  header !== undefined &&
  header.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });

export function filesRoutes(files: FilesService, config: Pick<FilesConfig, 'maxBytes'>) {
  const app = openApiApp();

  mount(app, uploadItemFileRoute(config.maxBytes), [requireViewer], async (c) => {
    const { id } = c.req.valid('param');
    const viewerId = signedIn(c).id;
    const may = await files.mayUpload(id, viewerId);
    if (!may.ok) return sendError(c, may.error);
    if (!MULTIPART.test(c.req.header('content-type') ?? ''))
      return sendError(c, {
        type: 'unsupported_media_type',
        code: 'unsupported_media_type',
        message: 'Send the file as multipart/form-data, in the field "file"',
      });
    let form: FormData;
    try {
      // Bounded: limitBody let through at most the declared allowance.
      form = await c.req.formData();
    } catch {
      return sendError(
        c,
        inventoryFail('malformed_multipart', 'The multipart/form-data body could not be read')
          .error,
      );
    }
    const parts = form.getAll('file');
    const file = parts[0];
    if (parts.length !== 1 || file === undefined || typeof file === 'string')
      return sendError(
        c,
        inventoryFail('file_missing', 'Send exactly one file, in the field "file"', {
          field: 'file',
        }).error,
      );
    const r = await files.upload(id, viewerId, file.name, file.stream());
    if (!r.ok) return sendError(c, r.error);
    return c.json(r.value.file, r.value.created ? 201 : 200);
  });

  mount(app, listItemFiles, [], async (c) =>
    respond(
      c,
      await files.list(c.req.valid('param').id, viewerOf(c)?.id ?? null),
      200,
      (items) => ({
        items,
        next: null,
      }),
    ),
  );

  mount(app, downloadItemFile, [], async (c) => {
    const { id, sha256 } = c.req.valid('param');
    const r = await files.download(id, sha256, viewerOf(c)?.id ?? null);
    if (!r.ok) return sendError(c, r.error);
    const { file, stream } = r.value;
    const etag = `"${file.sha256}"`;
    const common = {
      etag,
      // The bytes never change, but who may fetch them can: ask again each time.
      'cache-control': 'private, no-cache',
      'x-content-type-options': 'nosniff',
    };
    if (matches(c.req.header('if-none-match'), etag)) {
      stream.destroy();
      return c.body(null, 304, common);
    }
    return c.body(Readable.toWeb(stream) as ReadableStream<Uint8Array>, 200, {
      ...common,
      'content-type': servedType(file.type),
      'content-length': String(file.size),
      'content-disposition': contentDisposition(file.name),
      'content-security-policy': FILE_CSP,
    });
  });

  return app;
}
