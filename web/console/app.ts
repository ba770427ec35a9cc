import { useEffect, useState } from 'preact/hooks';
import { html } from '../shared/html.js';
import { api, setCsrfToken, whenSignedOut } from './api.js';
import { AccountsPage } from './pages/accounts.js';
import { AuditPage } from './pages/audit.js';
import { NumbersPage } from './pages/numbers.js';
import { OutboxPage } from './pages/outbox.js';
import { RamPage } from './pages/ram.js';
import { SimulatorPage } from './pages/simulator.js';
import { SpacesPage } from './pages/spaces.js';
import { WebhooksPage } from './pages/webhooks.js';
import { href, useRoute, type Route } from './route.js';
import { asApiError, ErrorBox, useAction } from './ui.js';

const PAGES: ReadonlyArray<readonly [string, string, (p: { route: Route }) => unknown]> = [
  ['accounts', 'Accounts', AccountsPage],
  ['account', 'RAM', RamPage],
  ['spaces', 'Spaces', SpacesPage],
  ['numbers', 'Numbers', NumbersPage],
  ['outbox', 'Outbox', OutboxPage],
  ['simulator', 'Clock and faults', SimulatorPage],
  ['webhooks', 'Webhooks', WebhooksPage],
  ['audit', 'Audit', AuditPage],
];

type Session = 'checking' | 'signed-out' | 'signed-in';

/** The console: a sign-in form until the server knows the session, then a page per area. */
export function App() {
  const [session, setSession] = useState<Session>('checking');
  const [problem, setProblem] = useState<string | undefined>();
  useEffect(() => {
    whenSignedOut(() => {
      setCsrfToken(undefined);
      setProblem('Your console session ended; sign in again.');
      setSession('signed-out');
    });
    api<{ signedIn: boolean; csrfToken?: string }>('GET', 'session').then(
      (answer) => {
        setCsrfToken(answer.csrfToken);
        setSession(answer.signedIn ? 'signed-in' : 'signed-out');
      },
      (error: unknown) => {
        if (asApiError(error).status !== 401) setProblem(asApiError(error).message);
        setSession('signed-out');
      },
    );
  }, []);
  if (session === 'checking') return html`<main><p aria-busy="true" role="status">Loading…</p></main>`;
  if (session === 'signed-out')
    return html`<${SignIn}
      problem=${problem}
      onSignedIn=${() => {
        setProblem(undefined);
        setSession('signed-in');
      }}
    />`;
  return html`<${Console} onSignedOut=${() => setSession('signed-out')} />`;
}

function SignIn({ problem, onSignedIn }: { problem: string | undefined; onSignedIn: () => void }) {
  const [token, setToken] = useState('');
  const act = useAction();
  return html`<main class="sign-in">
    <h1>Console</h1>
    <p>
      For the operator of this deployment: sign in with the operator token (<code>CAMS_OPERATOR_TOKEN</code>,
      or <code>data/operator-token</code> when <code>cams serve</code> made one).
    </p>
    ${problem !== undefined && html`<p role="status" class="muted">${problem}</p>`}
    <form
      aria-label="Sign in"
      onSubmit=${(e: Event) => {
        e.preventDefault();
        void act
          .run(async () => {
            const answer = await api<{ csrfToken: string }>('POST', 'session', { token });
            setCsrfToken(answer.csrfToken);
          })
          .then((done) => {
            setToken('');
            if (done) onSignedIn();
          });
      }}
    >
      <label for="operator-token">Operator token</label>
      <input
        id="operator-token"
        name="token"
        type="password"
        autocomplete="current-password"
        required
        autofocus
        value=${token}
        onInput=${(e: Event) => setToken((e.target as HTMLInputElement).value)}
      />
      <div><button type="submit" disabled=${act.busy}>${act.busy ? 'Signing in…' : 'Sign in'}</button></div>
    </form>
    <${ErrorBox} error=${act.error} />
  </main>`;
}

function Console({ onSignedOut }: { onSignedOut: () => void }) {
  const route = useRoute();
  const act = useAction();
  const page = PAGES.find(([name]) => name === route.page);
  useEffect(() => {
    document.title = `${page?.[1] ?? 'Not found'} · Console · cams-server`;
  }, [page]);
  return html`<div class="console">
    <nav class="console-nav" aria-label="Console">
      <ul>
        ${PAGES.map(
          ([name, label]) =>
            html`<li>
              <a href=${href(name)} aria-current=${name === route.page ? 'page' : undefined}>${label}</a>
            </li>`,
        )}
      </ul>
      <button
        type="button"
        class="secondary"
        disabled=${act.busy}
        onClick=${() =>
          void act
            .run(() => api('DELETE', 'session'))
            .then((done) => {
              if (done) {
                setCsrfToken(undefined);
                onSignedOut();
              }
            })}
      >
        Sign out
      </button>
      <${ErrorBox} error=${act.error} />
    </nav>
    ${
      page === undefined
        ? html`<main>
            <h1>Not found</h1>
            <p>No console page “${route.page}”.</p>
          </main>`
        : html`<${page[2]} route=${route} key=${route.page} />`
    }
  </div>`;
}
