/**
 * `/v1/accounts/alerts`: what the tenant is alerted about — traffic anomalies (per kind on or off), usage
 * thresholds per month, and who gets the mail — with the operator's quotas shown read-only beside them.
 * Reading needs `settings: read`; `PUT` needs `settings: read_write` and is audited. Alerts themselves leave from
 * the hourly evaluation (src/insight/evaluate.ts).
 */
import type { IRequest, RouterType } from 'itty-router';
import type { Env } from '../env';
import { quotaStatus } from '../insight/quota-block';
import { alertSettingsOf, parseAlertSettings } from '../tenants/alert-settings';
import type { TenantConfig } from '../tenants/config';
import { readJsonObject } from './body';
import { json } from './respond';
import { changeTenant, settingsRoute } from './tenant-route';

export function registerAlertRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.get(
    '/v1/accounts/alerts',
    settingsRoute('read', async (ctx) => json(await describeAlerts(ctx.env, ctx.tenant))),
  );

  router.put(
    '/v1/accounts/alerts',
    settingsRoute('read_write', async (ctx) => {
      const body = await readJsonObject(ctx.request);
      const settings = parseAlertSettings(body, new URL(ctx.request.url).origin);
      const config = await changeTenant(ctx, {
        action: 'alerts.update',
        target: 'alerts',
        apply(config) {
          const before = config.alerts ?? null;
          config.alerts = settings;
          return { result: config, before, after: settings };
        },
      });
      return json(await describeAlerts(ctx.env, config));
    }),
  );
}

async function describeAlerts(env: Env, tenant: TenantConfig) {
  const { origin: _origin, ...settings } = alertSettingsOf(tenant);
  return { ...settings, quotas: await quotaStatus(env, tenant) };
}
