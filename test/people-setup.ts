/**
 * Global setup of the SSO tests (Node side): a local OpenID Connect provider whose issuer the tests read with
 * `inject('oidcIssuer')`.
 */
import type { TestProject } from 'vitest/node';
import { startOidcProvider } from './servers/oidc';
import type {} from './servers/provided-oidc';

/** The Worker's SSO callback as the tests reach it (test/workers/helpers.ts ORIGIN). */
const CALLBACK = 'http://edgepix.test/app/api/auth/sso/callback';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const idp = await startOidcProvider(CALLBACK);
  project.provide('oidcIssuer', idp.url);
  return () => idp.close();
}
