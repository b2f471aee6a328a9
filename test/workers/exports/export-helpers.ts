/** Driving an export over HTTP: start it, wait for it, download and unpack its archives. */
import { SELF } from 'cloudflare:test';
import { unzipSync } from 'fflate';
import { type TenantWithKey, callApi } from '../api-helpers';

export interface ExportPart {
  name: string;
  status: string;
  files: number;
  attempts: number;
  size?: number;
  sha256?: string;
  error?: string;
  url?: string;
}

export interface ExportStatus {
  id: string;
  status: string;
  progress: number;
  url?: string;
  manifestUrl?: string;
  urlExpiresAt?: string;
  expiresAt: string | null;
  error?: string;
  parts: ExportPart[];
}

export async function startExport(t: TenantWithKey, body: Record<string, unknown> = {}): Promise<string> {
  const res = await callApi(t.auth, 'POST', '/v1/accounts/exports', body);
  if (res.status !== 202) throw new Error(`export: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

export async function exportStatus(t: TenantWithKey, id: string): Promise<ExportStatus> {
  const res = await callApi(t.auth, 'GET', `/v1/accounts/exports/${id}`);
  if (res.status !== 200) throw new Error(`status: ${res.status} ${await res.text()}`);
  return (await res.json()) as ExportStatus;
}

/** Polls until `until` holds (the queue's consumer runs in the pool), keeping every status seen. */
export async function waitForExport(t: TenantWithKey, id: string, until: (s: ExportStatus) => boolean = (s) => s.status === 'done' || s.status === 'failed', timeoutMs = 25_000): Promise<ExportStatus[]> {
  const seen: ExportStatus[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await exportStatus(t, id);
    seen.push(status);
    if (until(status)) return seen;
    if (Date.now() > deadline) throw new Error(`export ${id} still ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function download(url: string): Promise<Response> {
  return SELF.fetch(url);
}

export async function unpack(url: string): Promise<Record<string, Uint8Array>> {
  const res = await download(url);
  if (res.status !== 200) throw new Error(`download: ${res.status} ${await res.text()}`);
  return unzipSync(new Uint8Array(await res.arrayBuffer()));
}

export const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);
export const jsonOf = <T>(bytes: Uint8Array | undefined) => JSON.parse(text(bytes)) as T;
