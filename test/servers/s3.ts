/// <reference path="./s3rver.d.ts" />
/**
 * A real S3 API for the origin tests: s3rver on a random loopback port, storing in a fresh temporary directory,
 * with one bucket. s3rver itself checks only the access key id of a SigV4 request, so a small front checks the
 * signature too: it signs the request again (aws4fetch's signer, same date, same signed headers, the secret of
 * the access key) and answers 403 SignatureDoesNotMatch when the Authorization header differs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsV4Signer } from 'aws4fetch';
import S3rver from 's3rver';
import { listenOnLoopback, type RunningServer } from './listen';

export const S3_BUCKET = 'edgepix-test';
export const S3_CREDENTIALS = { accessKey: 'S3RVER', secretKey: 'S3RVER' };

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

/** Whether a SigV4 header-signed request carries the signature its credentials produce (unsigned: true). */
async function signatureMatches(req: IncomingMessage): Promise<boolean> {
  const authorization = req.headers.authorization;
  if (!authorization) return true;
  const match = AUTHORIZATION.exec(authorization);
  if (!match) return false;
  const [, accessKeyId, , region, service, signedHeaders] = match;
  // Unknown key ids go through: s3rver answers InvalidAccessKeyId.
  if (accessKeyId !== S3_CREDENTIALS.accessKey) return true;
  const headers = new Headers();
  for (const name of signedHeaders!.split(';')) {
    if (name === 'host') continue;
    const value = req.headers[name];
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(',') : value);
  }
  const signer = new AwsV4Signer({
    method: req.method,
    url: `http://${req.headers.host}${req.url}`,
    headers,
    accessKeyId: accessKeyId!,
    secretAccessKey: S3_CREDENTIALS.secretKey,
    service,
    region,
    datetime: String(req.headers['x-amz-date']),
  });
  const expected = (await signer.sign()).headers.get('Authorization');
  return expected === authorization;
}

const SIGNATURE_ERROR =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code>' +
  '<Message>The request signature we calculated does not match the signature you provided.</Message></Error>';

/**
 * `switchable`: the backup tests' bucket, with a switch that takes it down for the requests naming a key prefix
 * (their connection is dropped, as when the server is gone) and back up, and a log of the writes it accepted, in
 * order. The prefix keeps tests that run at the same time apart.
 *   POST /_switch/down?prefix=P, POST /_switch/up?prefix=P, GET /_switch/log?prefix=P → ["PUT /bucket/key", …]
 */
export async function startS3Server(options: { switchable?: boolean } = {}): Promise<RunningServer & { bucket: string }> {
  const directory = await mkdtemp(join(tmpdir(), 'edgepix-s3rver-'));
  const s3 = new S3rver({ silent: true, directory, configureBuckets: [{ name: S3_BUCKET, configs: [] }] });
  await s3.configureBuckets();
  const handle = s3.callback();
  const down = new Set<string>();
  const writes: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://s3.test');
    if (options.switchable && url.pathname.startsWith('/_switch/')) {
      const prefix = url.searchParams.get('prefix') ?? '';
      const action = url.pathname.slice('/_switch/'.length);
      if (action === 'log') {
        return res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(writes.filter((w) => w.includes(prefix))));
      }
      if (action === 'down') down.add(prefix);
      else down.delete(prefix);
      return res.writeHead(204).end();
    }
    const named = decodeURIComponent(req.url ?? '');
    if ([...down].some((prefix) => named.includes(prefix))) return req.socket.destroy();
    if (options.switchable && (req.method === 'PUT' || req.method === 'DELETE')) {
      res.on('finish', () => {
        if (res.statusCode < 300) writes.push(`${req.method} ${decodeURIComponent(url.pathname)}`);
      });
    }
    signatureMatches(req).then(
      (ok) => {
        if (ok) return handle(req, res);
        res.writeHead(403, { 'Content-Type': 'application/xml' }).end(req.method === 'HEAD' ? undefined : SIGNATURE_ERROR);
      },
      (error: unknown) => res.writeHead(500).end(String(error)),
    );
  });
  const running = await listenOnLoopback(server);
  return {
    url: running.url,
    bucket: S3_BUCKET,
    async close() {
      await running.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
