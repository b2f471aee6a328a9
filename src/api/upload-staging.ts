/**
 * Where an upload's bytes wait while the form streams in: the bucket of the uploading tenant's jurisdiction,
 * never another. The form is read before it is authenticated (its fields are the credentials of client-side
 * uploads), so the tenant is taken from what is known by the time a byte must be written: the dashboard session,
 * the Basic key, or a `publicKey` field sent before the file. A file small enough to wait in memory is written
 * only after authentication. A larger one whose tenant is not known yet is refused: its parts would otherwise
 * wait outside the tenant's jurisdiction. Authentication must then name the same tenant.
 */
import type { Env } from '../env';
import { HttpError } from '../http/errors';
import { publicKeyIndex } from '../security/keys';
import { lazyBucket } from '../storage/lazy-bucket';
import { mediaOf } from '../storage/media';
import { sessionOf } from './app-door';
import { authenticateKey } from './auth';

export class UploadStaging {
  private tenantId: string | undefined;

  constructor(
    private readonly request: Request,
    private readonly env: Env,
  ) {}

  /** The bucket the spool of this form writes to; decided on its first write. */
  bucket(fields: FormData): R2Bucket {
    return lazyBucket(async () => {
      this.tenantId ??= await this.earlyTenant(fields);
      return mediaOf(this.env, this.tenantId);
    });
  }

  /** After authentication: bytes that already wait do so for this tenant. */
  confirm(tenantId: string): void {
    if (this.tenantId !== undefined && this.tenantId !== tenantId) {
      throw new HttpError(400, 'The publicKey field names another account than the upload authenticates as.', 'Send the credentials of one account.');
    }
    this.tenantId = tenantId;
  }

  private async earlyTenant(fields: FormData): Promise<string> {
    const session = sessionOf(this.request);
    if (session) return session.tenant.id;
    if (this.request.headers.has('Authorization')) return (await authenticateKey(this.request, this.env)).tenant.id;
    const publicKey = fields.get('publicKey');
    const entry = typeof publicKey === 'string' ? await this.env.CONFIG.get<{ tenantId: string }>(publicKeyIndex(publicKey), 'json') : null;
    if (entry) return entry.tenantId;
    throw new HttpError(
      400,
      'A file this large must come after the publicKey field in the form (or be uploaded with a private key).',
      "The account's bytes are stored only in its data region, which the form names only with its key.",
    );
  }
}
