/**
 * OpenID Connect sign-in against a tenant's identity provider, on oauth4webapi (discovery, PKCE S256, state,
 * nonce, the code exchange and the ID token's claims) and jose (the ID token's signature against the provider's
 * JWKS). Every request to the provider goes through the SSRF guard; an `http://` issuer is accepted only where
 * private addresses are (ALLOW_PRIVATE_ORIGINS, local development and tests).
 */
import * as oauth from 'oauth4webapi';
import { createRemoteJWKSet, customFetch as joseFetch, jwtVerify } from 'jose';
import { memo } from '../cache/memo';
import type { Env } from '../env';
import { HttpError } from '../http/errors';
import { checkOutboundUrl, type OutboundPolicy, policyFor } from '../security/ssrf';

const TIMEOUT_MS = 10_000;

export interface OidcClient {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

export const providerError = (detail: string) =>
  new HttpError(502, `The identity provider could not be used: ${detail}`, 'Check the SSO settings (issuer, client id and secret) with your IdP.');

/** The network, with each URL checked by the SSRF guard and no redirect followed. */
function guardedFetch(policy: OutboundPolicy) {
  return (url: string, init?: RequestInit) => {
    checkOutboundUrl(url, policy);
    return fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
  };
}

interface Provider {
  server: oauth.AuthorizationServer;
  options: { [oauth.customFetch]: ReturnType<typeof guardedFetch>; [oauth.allowInsecureRequests]: boolean };
  jwks: ReturnType<typeof createRemoteJWKSet>;
}

// Discovery documents and key sets change rarely: kept per isolate for a few minutes.
const providers = memo<Promise<Provider>>({ ttlMs: 5 * 60_000, capacity: 200 });

export function issuerPolicy(env: Pick<Env, 'ALLOW_PRIVATE_ORIGINS'>, issuer: string): OutboundPolicy {
  return policyFor(env, [issuer]);
}

/** Refuses an issuer the guard would refuse, and `http://` outside local development. */
export function checkIssuer(env: Pick<Env, 'ALLOW_PRIVATE_ORIGINS'>, issuer: string): URL {
  const policy = issuerPolicy(env, issuer);
  const url = checkOutboundUrl(issuer, policy);
  if (url.protocol !== 'https:' && !policy.allowPrivate) throw new HttpError(400, 'The issuer must be an https URL', 'Use the issuer your IdP documents, e.g. https://accounts.google.com.');
  return url;
}

function provider(env: Pick<Env, 'ALLOW_PRIVATE_ORIGINS'>, issuer: string): Promise<Provider> {
  return providers.get(issuer, async () => {
    const policy = issuerPolicy(env, issuer);
    const issuerUrl = checkIssuer(env, issuer);
    const fetcher = guardedFetch(policy);
    const options = { [oauth.customFetch]: fetcher, [oauth.allowInsecureRequests]: issuerUrl.protocol === 'http:' };
    let server: oauth.AuthorizationServer;
    try {
      server = await oauth.processDiscoveryResponse(issuerUrl, await oauth.discoveryRequest(issuerUrl, { ...options, algorithm: 'oidc' }));
    } catch (error) {
      if (error instanceof HttpError) throw error;
      throw providerError(`discovery failed (${(error as Error).message})`);
    }
    if (!server.authorization_endpoint || !server.token_endpoint || !server.jwks_uri) throw providerError('the discovery document lacks an endpoint');
    const jwks = createRemoteJWKSet(new URL(server.jwks_uri), { [joseFetch]: (url, init) => fetcher(url, init as RequestInit) });
    return { server, options, jwks };
  });
}

export interface StartedFlow {
  /** Where to send the browser. */
  location: string;
  verifier: string;
  nonce: string;
}

/** The authorization request: PKCE S256, state and nonce. */
export async function startFlow(env: Env, client: OidcClient, redirectUri: string, state: string, loginHint?: string): Promise<StartedFlow> {
  const { server } = await provider(env, client.issuer);
  const verifier = oauth.generateRandomCodeVerifier();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(server.authorization_endpoint!);
  url.searchParams.set('client_id', client.clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', 'openid email profile');
  url.searchParams.set('state', state);
  url.searchParams.set('nonce', nonce);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  if (loginHint) url.searchParams.set('login_hint', loginHint);
  return { location: url.href, verifier, nonce };
}

export interface Identity {
  subject: string;
  email: string;
  name: string;
}

/**
 * The callback: checks the response against the state, exchanges the code (with the PKCE verifier), checks the ID
 * token's claims (issuer, audience, expiry, nonce) and its signature, and answers who signed in. The email must
 * be one the provider says it verified.
 */
export async function finishFlow(
  env: Env,
  client: OidcClient,
  redirectUri: string,
  callback: URL,
  expected: { state: string; verifier: string; nonce: string },
): Promise<Identity> {
  const { server, options, jwks } = await provider(env, client.issuer);
  const oauthClient: oauth.Client = { client_id: client.clientId };
  let claims: oauth.IDToken;
  let idToken: string;
  let profile: Record<string, unknown>;
  try {
    const params = oauth.validateAuthResponse(server, oauthClient, callback, expected.state);
    const response = await oauth.authorizationCodeGrantRequest(server, oauthClient, oauth.ClientSecretBasic(client.clientSecret), params, redirectUri, expected.verifier, options);
    const result = await oauth.processAuthorizationCodeResponse(server, oauthClient, response, { expectedNonce: expected.nonce, requireIdToken: true });
    claims = oauth.getValidatedIdTokenClaims(result)!;
    idToken = result.id_token!;
    // Providers that keep scope claims out of the ID token when an access token is issued (OIDC Core 5.4) give
    // them at the userinfo endpoint, for the same subject.
    profile = claims;
    if (typeof claims.email !== 'string' && server.userinfo_endpoint) {
      const info = await oauth.userInfoRequest(server, oauthClient, result.access_token, options);
      profile = await oauth.processUserInfoResponse(server, oauthClient, claims.sub, info);
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(401, `Single sign-on failed: ${(error as Error).message}`, 'Start the sign-in again.');
  }
  try {
    await jwtVerify(idToken, jwks, { issuer: server.issuer, audience: client.clientId });
  } catch (error) {
    throw new HttpError(401, `Single sign-on failed: the ID token's signature does not verify (${(error as Error).message})`, 'Check the issuer.');
  }
  const email = typeof profile.email === 'string' ? profile.email.toLowerCase() : '';
  if (!email || profile.email_verified === false) {
    throw new HttpError(403, 'The identity provider did not vouch for an email address', 'Ask your IdP administrator to release a verified email claim.');
  }
  const name = typeof profile.name === 'string' && profile.name.trim() ? profile.name.trim().slice(0, 100) : email.split('@')[0]!;
  return { subject: claims.sub, email, name };
}
