/**
 * A real OpenID Connect provider for the SSO tests: `oidc-provider` on a loopback port, PKCE required, with one
 * client whose redirect URI is the Worker's callback. Its interaction step is a test stand-in for a login page:
 * it signs in whoever the authorization request names in `login_hint` (any email) and grants the scopes asked.
 */
import { createServer } from 'node:http';
import Provider from 'oidc-provider';
import { listenOnLoopback, type RunningServer } from './listen';
import { OIDC_CLIENT } from './provided-oidc';


export async function startOidcProvider(redirectUri: string): Promise<RunningServer> {
  let provider: Provider | undefined;
  const server = createServer((req, res) => {
    if (!provider) return res.end();
    if (req.url?.startsWith('/interaction/')) {
      signInFromHint(provider, req, res).catch((error) => {
        res.statusCode = 500;
        res.end(String(error));
      });
      return;
    }
    provider.callback()(req, res);
  });
  const running = await listenOnLoopback(server);
  provider = new Provider(running.url, {
    clients: [
      {
        client_id: OIDC_CLIENT.clientId,
        client_secret: OIDC_CLIENT.clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['edgepix-test-cookies'] },
    async findAccount(_ctx, id) {
      return { accountId: id, claims: () => ({ sub: id, email: id, email_verified: true, name: id.split('@')[0] }) };
    },
  });
  return running;
}

async function signInFromHint(provider: Provider, req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) {
  const details = await provider.interactionDetails(req, res);
  const accountId = String(details.params.login_hint ?? '');
  if (!accountId) throw new Error('the test IdP signs in the login_hint; none was given');
  const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
  grant.addOIDCScope('openid email profile');
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
}
