/** The shell: find the session, then the page the path names (or the sign-in pages without one). */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, setCsrfToken, whenUnauthorized } from './api';
import { Library } from './library/library';
import { ApiKeys } from './pages/api-keys';
import { Analytics } from './pages/analytics';
import { AuditLog } from './pages/audit';
import { BlockingRules } from './pages/blocking-rules';
import { AcceptInvite, Login, ResetPassword } from './pages/auth';
import { SettingsPage } from './pages/settings';
import { Usage } from './pages/usage';
import { Users } from './pages/users';
import { navigate, onLink, useLocation } from './router';
import { type Area, can, type Session } from './session';
import { ErrorBox } from './ui/kit';

interface Page {
  path: string;
  title: string;
  area: Area;
  /** Another area whose read access shows the page too. */
  orArea?: Area;
  render: (session: Session) => preact.JSX.Element;
}

const PAGES: Page[] = [
  { path: '/app/', title: 'Media library', area: 'files', render: (s) => <Library session={s} /> },
  { path: '/app/settings', title: 'Settings', area: 'settings', render: (s) => <SettingsPage session={s} /> },
  { path: '/app/api-keys', title: 'API keys', area: 'settings', render: (s) => <ApiKeys session={s} /> },
  { path: '/app/users', title: 'Users', area: 'users', render: (s) => <Users session={s} /> },
  { path: '/app/audit', title: 'Audit log', area: 'audit', render: () => <AuditLog /> },
  { path: '/app/usage', title: 'Usage', area: 'settings', render: () => <Usage /> },
  { path: '/app/analytics', title: 'Analytics', area: 'settings', orArea: 'audit', render: () => <Analytics /> },
  { path: '/app/blocking', title: 'Blocking rules', area: 'settings', render: (s) => <BlockingRules session={s} /> },
];

const PUBLIC: Record<string, () => preact.JSX.Element> = {
  '/app/accept-invite': () => <AcceptInvite />,
  '/app/reset': () => <ResetPassword />,
};

export function App() {
  const url = useLocation();
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);

  const adopt = (next: Session | null) => {
    setCsrfToken(next?.csrfToken ?? '');
    setSession(next);
  };
  useEffect(() => {
    whenUnauthorized(() => adopt(null));
    api<Session>('GET', '/auth/session').then(adopt, (e: unknown) => {
      if (e instanceof ApiError && e.status === 401) adopt(null);
      else setError(e);
    });
  }, []);

  const publicPage = PUBLIC[url.pathname.replace(/\/$/, '')];
  if (publicPage) return publicPage();
  if (error) return <ErrorBox error={error} />;
  if (session === undefined) return <p class="boot">Loading…</p>;
  if (session === null) {
    return (
      <Login
        onSession={(s) => {
          adopt(s);
          if (url.pathname.startsWith('/app/login')) navigate('/app/', true);
        }}
      />
    );
  }
  if (url.pathname === '/app/login') navigate('/app/', true);

  const visible = PAGES.filter((p) => can(session.permissions, p.area, 'read') || (p.orArea && can(session.permissions, p.orArea, 'read')));
  const page = visible.find((p) => p.path === url.pathname) ?? (url.pathname === '/app/' ? undefined : null);
  const signOut = (everywhere: boolean) => {
    api('POST', everywhere ? '/auth/logout-all' : '/auth/logout').finally(() => adopt(null));
  };
  return (
    <div class="shell">
      <nav>
        <strong class="brand">edgepix</strong>
        <span class="tenant">{session.tenant}</span>
        {visible.map((p) => (
          <a href={p.path} onClick={onLink} class={p.path === url.pathname ? 'active' : ''} data-page={p.path}>
            {p.title}
          </a>
        ))}
        <div class="me">
          <span id="whoami">{session.user.email}</span> <small>({session.user.role})</small>
          <button class="link" onClick={() => signOut(false)} id="logout">Sign out</button>
          <button class="link" onClick={() => signOut(true)} id="logout-all">Sign out everywhere</button>
        </div>
      </nav>
      <div class="page">
        {page ? page.render(session) : page === undefined ? <p>Your role has no access to the media library.</p> : <p id="not-found">No such page.</p>}
      </div>
    </div>
  );
}
