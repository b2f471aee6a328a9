import type { IRequest, RouterType } from 'itty-router';
import type { Env } from '../env';
import { applySettingsPatch } from '../tenants/settings-schema';
import { watermarkSteps } from '../tenants/watermark';
import { findNamed } from '../transform/named';
import { readJsonObject } from './body';
import { json } from './respond';
import { changeTenant, settingsRoute } from './tenant-route';

/** `/v1/accounts/settings`: the settings ImageKit keeps in its dashboard. */
export function registerSettingsRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.get(
    '/v1/accounts/settings',
    settingsRoute('read', (ctx) => json(ctx.tenant.settings)),
  );

  router.patch(
    '/v1/accounts/settings',
    settingsRoute('read_write', async (ctx) => {
      const patch = await readJsonObject(ctx.request);
      const settings = await changeTenant(ctx, {
        action: 'settings.update',
        target: 'settings',
        apply(config) {
          const before = config.settings;
          config.settings = applySettingsPatch(config.settings, patch);
          // A watermark naming transformations must name ones that exist now (expanding them checks that).
          const { watermark } = config.settings;
          if (watermark && 'watermark' in patch) watermarkSteps(watermark.transformation, (name) => findNamed(config, name));
          return { result: config.settings, before, after: config.settings };
        },
      });
      return json(settings);
    }),
  );
}
