import type { IRequest, RouterType } from 'itty-router';
import type { Env } from '../env';
import { applySettingsPatch } from '../tenants/settings-schema';
import { requirePermission } from './auth';
import { readJsonObject } from './body';
import { json } from './respond';
import { changeTenant, tenantRoute } from './tenant-route';

/** `/v1/accounts/settings`: the settings ImageKit keeps in its dashboard (DESIGN §3.1). */
export function registerSettingsRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.get(
    '/v1/accounts/settings',
    tenantRoute((ctx) => {
      requirePermission(ctx, 'settings', 'read');
      return json(ctx.tenant.settings);
    }),
  );

  router.patch(
    '/v1/accounts/settings',
    tenantRoute(async (ctx) => {
      requirePermission(ctx, 'settings', 'read_write');
      const patch = await readJsonObject(ctx.request);
      const settings = await changeTenant(ctx, {
        action: 'settings.update',
        target: 'settings',
        apply(config) {
          const before = config.settings;
          config.settings = applySettingsPatch(config.settings, patch);
          return { result: config.settings, before, after: config.settings };
        },
      });
      return json(settings);
    }),
  );
}
