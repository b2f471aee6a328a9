/**
 * `/v1/accounts/webhook`: where the media library's events go (file.created, file.updated, file.deleted,
 * file-version.created, file-version.deleted), signed the Standard Webhooks way. ImageKit configures this in its
 * dashboard; here it is an API beside the other account settings.
 *
 *   GET    /v1/accounts/webhook    → 200 {url} | {url: null}
 *   PUT    /v1/accounts/webhook    {url, rotateSecret?} → 200 {url, secret?}; the secret (whsec_…) is shown only
 *                                  when it is created or rotated, and stored encrypted
 *   DELETE /v1/accounts/webhook    → 204
 */
import { filesEndpoint } from '../delivery/url';
import type { IRequest, RouterType } from 'itty-router';
import type { Env } from '../env';
import { encryptSecret, randomToken } from '../security/crypto';
import { badField, boolean, checkField, optional, text } from '../validate/fields';
import { readJsonObject } from './body';
import { json, noContent } from './respond';
import { changeTenant, settingsRoute } from './tenant-route';

const PATH = '/v1/accounts/webhook';

export function registerWebhookRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.get(
    PATH,
    settingsRoute('read', (ctx) => json({ url: ctx.tenant.webhook?.url ?? null })),
  );

  router.put(
    PATH,
    settingsRoute('read_write', async (ctx) => {
      const body = await readJsonObject(ctx.request);
      const url = webhookUrl(body.url);
      const rotateSecret = checkField(body, 'rotateSecret', optional(boolean));
      const fresh = !ctx.tenant.webhook || rotateSecret === true;
      const secret = fresh ? `whsec_${randomToken(24)}` : undefined;
      const secretCiphertext = secret ? await encryptSecret(ctx.env.MASTER_KEY, secret, ctx.tenant.id) : undefined;
      await changeTenant(ctx, {
        action: 'webhook.update',
        target: 'webhook',
        apply(config) {
          const before = config.webhook ? { url: config.webhook.url } : null;
          config.webhook = {
            url,
            secretCiphertext: secretCiphertext ?? config.webhook!.secretCiphertext,
            urlEndpoint: filesEndpoint(ctx.request.url, config),
            updatedAt: new Date().toISOString(),
          };
          return { result: undefined, before, after: { url, rotated: fresh } };
        },
      });
      return json(secret ? { url, secret } : { url });
    }),
  );

  router.delete(
    PATH,
    settingsRoute('read_write', async (ctx) => {
      await changeTenant(ctx, {
        action: 'webhook.delete',
        target: 'webhook',
        apply(config) {
          const before = config.webhook ? { url: config.webhook.url } : null;
          config.webhook = null;
          return { result: undefined, before };
        },
      });
      return noContent();
    }),
  );
}

function webhookUrl(value: unknown): string {
  let url: URL;
  try {
    url = new URL(text('an http(s) URL', { max: 2048 })(value, 'url'));
  } catch {
    throw badField('url', 'an http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badField('url', 'an http(s) URL');
  return url.toString();
}
