import { accessRequestOf, enforceAccessRules } from '../../security/access';
import type { ParsedContext, Stage } from '../context';

/** The tenant's access rules (IP/CIDR, country, referrer, user agent): a refused request is a 403. */
export const checkAccess: Stage<ParsedContext> = async (ctx) => {
  enforceAccessRules(ctx.tenant.settings.access, accessRequestOf(ctx.request));
};
