import { useId, useMemo, useState, type ChangeEvent, type Ref } from 'react';
import { previewHtml } from '../inventory/preview.ts';
import { TextArea } from '../ui/fields.tsx';

type Props = {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  rows?: number;
  hint?: string;
  error?: string | undefined;
  textareaRef?: Ref<HTMLTextAreaElement>;
};

/**
 * A Markdown text with Write and Preview tabs, so that a post can be seen before it is
 * posted. The preview follows the server's rendering rules (inventory/preview.ts); what is
 * saved is rendered again by the server.
 */
export function MarkdownField({
  label,
  name,
  value,
  onChange,
  rows = 5,
  hint,
  error,
  textareaRef,
}: Props) {
  const [tab, setTab] = useState<'write' | 'preview'>('write');
  const id = useId();
  const html = useMemo(() => (tab === 'preview' ? previewHtml(value) : ''), [tab, value]);
  const tabButton = (which: 'write' | 'preview', text: string) => (
    <button
      type="button"
      role="tab"
      id={`${id}-${which}`}
      aria-selected={tab === which}
      aria-controls={`${id}-${which}-panel`}
      className={tab === which ? 'tab current' : 'tab'}
      onClick={() => setTab(which)}
    >
      {text}
    </button>
  );
  return (
    <div className="markdown-field">
      <div role="tablist" aria-label="Write or preview" className="tabs">
        {tabButton('write', 'Write')}
        {tabButton('preview', 'Preview')}
      </div>
      <div
        id={`${id}-write-panel`}
        role="tabpanel"
        aria-labelledby={`${id}-write`}
        hidden={tab !== 'write'}
      >
        <TextArea
          ref={textareaRef}
          label={label}
          name={name}
          rows={rows}
          required
          value={value}
          onChange={(e: ChangeEvent<HTMLTextAreaElement>) => onChange(e.target.value)}
          hint={hint ?? 'Markdown works. Be kind; assume good faith.'}
          error={error}
        />
      </div>
      <div
        id={`${id}-preview-panel`}
        role="tabpanel"
        aria-labelledby={`${id}-preview`}
        hidden={tab !== 'preview'}
        className="preview"
      >
        {value.trim() ? (
          <div className="prose" dangerouslySetInnerHTML={{ __html: html }} />
        ) : (
          <p className="muted small">Nothing to preview yet.</p>
        )}
      </div>
    </div>
  );
}
