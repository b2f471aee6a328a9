/** A transformation built from a few controls, its URL previewed live and copied; private files get a signed URL. */
import { useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorBox, Field, inputValue, useAction } from '../ui/kit';
import { type TransformOptions, transformation, withTransformation } from './transformation';
import type { FileRecord } from './types';

const num = (e: Event) => {
  const v = inputValue(e);
  return v === '' ? null : Number(v);
};

export function UrlBuilder({ file }: { file: FileRecord }) {
  const [options, setOptions] = useState<TransformOptions>({ width: 400, crop: 'at_max', format: 'auto' });
  const [expires, setExpires] = useState(3600);
  const [signed, setSigned] = useState<string | null>(null);
  const [act, error, busy] = useAction();
  const set = (patch: Partial<TransformOptions>) => {
    setOptions({ ...options, ...patch });
    setSigned(null);
  };
  const tr = transformation(options);
  const url = withTransformation(file.url, tr);
  const shown = signed ?? url;
  const sign = () =>
    act(async () => setSigned((await api<{ url: string }>('POST', '/v1/files/signed-url', { url, expireSeconds: expires })).url));

  return (
    <div class="url-builder">
      <div class="row">
        <Field label="Width"><input type="number" min={1} name="w" value={options.width ?? ''} onInput={(e) => set({ width: num(e) })} /></Field>
        <Field label="Height"><input type="number" min={1} name="h" value={options.height ?? ''} onInput={(e) => set({ height: num(e) })} /></Field>
        <Field label="Crop">
          <select name="c" value={options.crop} onChange={(e) => set({ crop: inputValue(e) as TransformOptions['crop'] })}>
            {['', 'maintain_ratio', 'force', 'at_max', 'at_least', 'pad_resize', 'extract'].map((c) => <option value={c}>{c || 'default'}</option>)}
          </select>
        </Field>
      </div>
      <div class="row">
        <Field label="Quality"><input type="number" min={1} max={100} name="q" value={options.quality ?? ''} onInput={(e) => set({ quality: num(e) })} /></Field>
        <Field label="Format">
          <select name="f" value={options.format} onChange={(e) => set({ format: inputValue(e) as TransformOptions['format'] })}>
            {['', 'auto', 'webp', 'avif', 'jpg', 'png'].map((f) => <option value={f}>{f || 'original'}</option>)}
          </select>
        </Field>
        <Field label="Blur"><input type="number" min={0} max={100} name="bl" value={options.blur ?? ''} onInput={(e) => set({ blur: num(e) })} /></Field>
        <label class="check"><input type="checkbox" checked={options.grayscale} onChange={(e) => set({ grayscale: (e.currentTarget as HTMLInputElement).checked })} /> Grayscale</label>
      </div>
      <code class="url" id="built-url">{shown}</code>
      <div class="row">
        <button onClick={() => void navigator.clipboard.writeText(shown)}>Copy URL</button>
        <Field label="Signed, expires in (s)">
          <input type="number" min={1} name="expires" value={expires} onInput={(e) => setExpires(Number(inputValue(e)) || 3600)} />
        </Field>
        <button onClick={sign} disabled={busy} id="sign-url">Sign</button>
      </div>
      <ErrorBox error={error} />
      {file.fileType === 'image' ? <img class="preview" src={file.isPrivateFile && !signed ? (file.thumbnail ?? '') : shown} alt="Preview" id="url-preview" /> : null}
      {file.isPrivateFile ? <p><small>This file is private: it is delivered only with a signed URL.</small></p> : null}
    </div>
  );
}
