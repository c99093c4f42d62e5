import { useRef, useState, type FormEvent } from 'react';
import type { ApiError } from '../api/client.ts';
import { inventoryPaths, uploadFile, type ItemFile } from '../api/inventory.ts';
import { useSession } from '../session.tsx';
import { FormError } from '../ui/fields.tsx';
import { ErrorNotice, Loading, Notice } from '../ui/page.tsx';
import { usePagedList } from '../ui/use-api.ts';

const size = (bytes: number) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 * 1024
      ? `${(bytes / 1024).toFixed(0)} KB`
      : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** What a refused upload means, beside the server's words. */
function explain(e: ApiError): string {
  if (e.status === 413) return `The file is too large. ${e.message}`;
  if (e.status === 415) return `That kind of file is not accepted. ${e.message}`;
  return e.message;
}

function UploadForm({ id, onAdded }: { id: string; onAdded: (f: ItemFile) => void }) {
  const { me } = useSession();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [done, setDone] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const file = input.current?.files?.[0];
    setDone(null);
    if (!file) return setError('Choose a file first.');
    setBusy(true);
    const r = await uploadFile(id, file, me?.csrfToken);
    setBusy(false);
    if (!r.ok) return setError(explain(r.error));
    setError(undefined);
    setDone(`Added ${r.value.name}.`);
    if (input.current) input.current.value = '';
    onAdded(r.value);
  }

  return (
    <form className="stack upload-form" onSubmit={(e) => void submit(e)} noValidate>
      <FormError message={error} />
      {done ? <Notice tone="success">{done}</Notice> : null}
      <div className="field">
        <label htmlFor="item-file">Add a file</label>
        <input id="item-file" ref={input} type="file" name="file" />
      </div>
      <div className="actions">
        <button type="submit" className="secondary" disabled={busy}>
          {busy ? 'Uploading…' : 'Upload'}
        </button>
      </div>
    </form>
  );
}

/** A resource's files: links that download with the viewer's session. */
export function FilesSection({ id, canUpload }: { id: string; canUpload: boolean }) {
  const list = usePagedList<ItemFile>(inventoryPaths.files(id));
  const files = list.data ?? [];
  return (
    <section aria-labelledby="files" className="panel">
      <h2 id="files">Files</h2>
      {list.loading ? <Loading what="the files" /> : null}
      {list.error ? <ErrorNotice error={list.error} what="the files" /> : null}
      {list.data && files.length === 0 ? <p className="muted small">No files yet.</p> : null}
      {files.length > 0 ? (
        <ul className="files">
          {files.map((f) => (
            <li key={f.sha256}>
              <a href={f.url} download={f.name}>
                {f.name}
              </a>{' '}
              <span className="muted small">
                {f.type}, {size(f.size)}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {canUpload ? <UploadForm id={id} onAdded={list.reload} /> : null}
    </section>
  );
}
