/** Signing in (password, then the code sent by email; or SSO), accepting an invitation, resetting a password. */
import { useState } from 'preact/hooks';
import { api } from '../api';
import { navigate } from '../router';
import type { Session } from '../session';
import { ErrorBox, Field, inputValue, useAction } from '../ui/kit';

const LAST_TENANT = 'edgepix.tenant';

export function Login({ onSession }: { onSession: (session: Session) => void }) {
  const params = new URL(location.href).searchParams;
  const [tenant, setTenant] = useState(params.get('tenant') ?? localStorage.getItem(LAST_TENANT) ?? '');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [challenge, setChallenge] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [act, error, busy] = useAction();
  const ssoError = params.get('error');

  const submitPassword = (event: Event) => {
    event.preventDefault();
    void act(async () => {
      localStorage.setItem(LAST_TENANT, tenant);
      const answer = await api<{ mfa: string; challenge: string }>('POST', '/auth/login', { tenant, email, password });
      setChallenge(answer.challenge);
    });
  };
  const submitCode = (event: Event) => {
    event.preventDefault();
    void act(async () => onSession(await api<Session>('POST', '/auth/mfa', { challenge, code: code.trim() })));
  };
  const sso = () => {
    if (!tenant) return;
    localStorage.setItem(LAST_TENANT, tenant);
    // The email, when typed, goes to the IdP as a login hint (it pre-fills its own sign-in).
    const hint = email ? `&login_hint=${encodeURIComponent(email)}` : '';
    location.assign(`/app/api/auth/sso/start?tenant=${encodeURIComponent(tenant)}${hint}`);
  };

  return (
    <div class="auth">
      <h1>edgepix</h1>
      {challenge === null ? (
        <form id="login" onSubmit={submitPassword}>
          <Field label="Account">
            <input name="tenant" required autoComplete="organization" value={tenant} onInput={(e) => setTenant(inputValue(e))} />
          </Field>
          <Field label="Email">
            <input name="email" type="email" required autoComplete="username" value={email} onInput={(e) => setEmail(inputValue(e))} />
          </Field>
          <Field label="Password">
            <input name="password" type="password" required autoComplete="current-password" value={password} onInput={(e) => setPassword(inputValue(e))} />
          </Field>
          <ErrorBox error={error ?? (ssoError ? new Error(ssoError) : null)} />
          <button type="submit" disabled={busy}>Continue</button>
          <button type="button" class="secondary" id="sso" disabled={!tenant} onClick={sso}>Sign in with SSO</button>
          <p>
            <a href="/app/reset" onClick={(e) => { e.preventDefault(); navigate('/app/reset'); }}>Forgot your password?</a>
          </p>
        </form>
      ) : (
        <form id="mfa" onSubmit={submitCode}>
          <p>We sent a sign-in code to {email}. It works once, for 10 minutes.</p>
          <Field label="Code">
            <input name="code" inputMode="numeric" autoComplete="one-time-code" required value={code} onInput={(e) => setCode(inputValue(e))} />
          </Field>
          <ErrorBox error={error} />
          <button type="submit" disabled={busy}>Sign in</button>
          <button type="button" class="secondary" onClick={() => setChallenge(null)}>Back</button>
        </form>
      )}
    </div>
  );
}

/** The page an invitation link opens: choose a name and a password, then sign in. */
export function AcceptInvite() {
  const token = new URL(location.href).searchParams.get('token') ?? '';
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [done, setDone] = useState<{ tenant?: string } | null>(null);
  const [act, error, busy] = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    void act(async () => setDone((await api<{ tenant?: string }>('POST', '/auth/accept-invite', { token, name, password })) ?? {}));
  };
  if (done) {
    return (
      <div class="auth">
        <h1>Welcome</h1>
        <p id="invite-done">Your password is set. Sign in with it and the code we email you.</p>
        <button onClick={() => navigate(`/app/login${done.tenant ? `?tenant=${encodeURIComponent(done.tenant)}` : ''}`)}>Sign in</button>
      </div>
    );
  }
  return (
    <div class="auth">
      <h1>Join edgepix</h1>
      <form id="accept-invite" onSubmit={submit}>
        <Field label="Your name">
          <input name="name" required autoComplete="name" value={name} onInput={(e) => setName(inputValue(e))} />
        </Field>
        <NewPassword value={password} onInput={setPassword} />
        <ErrorBox error={error ?? (token ? null : new Error('This link has no invitation token.'))} />
        <button type="submit" disabled={busy || !token}>Set password</button>
      </form>
    </div>
  );
}

/** Without a token: ask for a reset email. With one (the emailed link): set the new password. */
export function ResetPassword() {
  const params = new URL(location.href).searchParams;
  const token = params.get('token');
  const [tenant, setTenant] = useState(params.get('tenant') ?? localStorage.getItem(LAST_TENANT) ?? '');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const [act, error, busy] = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    void act(async () => {
      if (token) await api('POST', '/auth/reset', { token, password });
      else await api('POST', '/auth/reset-request', { tenant, email });
      setDone(true);
    });
  };
  if (done) {
    return (
      <div class="auth">
        <p id="reset-done">{token ? 'Your password is changed; every other session was signed out.' : 'If that address has an account, we sent it a link.'}</p>
        <button onClick={() => navigate('/app/login')}>Sign in</button>
      </div>
    );
  }
  return (
    <div class="auth">
      <h1>Reset your password</h1>
      <form id="reset" onSubmit={submit}>
        {token ? (
          <NewPassword value={password} onInput={setPassword} />
        ) : (
          <>
            <Field label="Account">
              <input name="tenant" required value={tenant} onInput={(e) => setTenant(inputValue(e))} />
            </Field>
            <Field label="Email">
              <input name="email" type="email" required value={email} onInput={(e) => setEmail(inputValue(e))} />
            </Field>
          </>
        )}
        <ErrorBox error={error} />
        <button type="submit" disabled={busy}>{token ? 'Set password' : 'Email me a link'}</button>
      </form>
    </div>
  );
}

function NewPassword({ value, onInput }: { value: string; onInput: (v: string) => void }) {
  return (
    <Field label="Password" hint="At least 12 characters.">
      <input name="password" type="password" required minLength={12} autoComplete="new-password" value={value} onInput={(e) => onInput(inputValue(e))} />
    </Field>
  );
}
