/** What test/people-setup.ts hands the workerd tests: the issuer URL of the local OpenID Connect provider. Types only. */
declare module 'vitest' {
  export interface ProvidedContext {
    oidcIssuer: string;
  }
}

export const OIDC_CLIENT = { clientId: 'edgepix-test', clientSecret: 'a-client-secret-of-the-tests' };
