import { useState } from 'preact/hooks';
import { html } from '../../shared/html.js';
import { api, seg } from '../api.js';
import type { Account } from '../pickers.js';
import { href } from '../route.js';
import { ErrorBox, Field, Form, Section, Status, useAction, useLoad, when } from '../ui.js';

/** Accounts (tenants) and their CAMS subscription: `cams account list/create/subscribe/unsubscribe`. */
export function AccountsPage() {
  const accounts = useLoad(() => api<{ accounts: Account[] }>('GET', 'accounts'), []);
  const [filter, setFilter] = useState('');
  const [name, setName] = useState('');
  const [subscribed, setSubscribed] = useState(true);
  const create = useAction();
  const toggle = useAction();
  const list = (accounts.data?.accounts ?? []).filter((a) =>
    `${a.id} ${a.name}`.toLowerCase().includes(filter.toLowerCase()),
  );
  return html`<main>
    <h1>Accounts</h1>
    <${Section} title="New account">
      <${Form}
        label="New account"
        submit="Create account"
        busy=${create.busy}
        onSubmit=${() =>
          void create
            .run(() => api('POST', 'accounts', { name, subscribed }))
            .then((done) => {
              if (done) setName('');
              accounts.reload();
            })}
      >
        <${Field} label="Name" value=${name} onInput=${setName} required=${true} />
        <div class="field checkbox">
          <label
            ><input
              type="checkbox"
              checked=${subscribed}
              onChange=${(e: Event) => setSubscribed((e.target as HTMLInputElement).checked)}
            />
            Subscribed to CAMS</label
          >
        </div>
      <//>
      <${ErrorBox} error=${create.error} />
    <//>
    <${Section} title="All accounts">
      <${Field} label="Filter by name or ID" value=${filter} onInput=${setFilter} type="search" />
      <${Status} loaded=${accounts} empty=${accounts.data !== undefined && list.length === 0} />
      <${ErrorBox} error=${toggle.error} />
      ${
        list.length > 0 &&
        html`<table>
          <thead>
            <tr>
              <th>ID</th>
              <th>Name</th>
              <th>CAMS subscription</th>
              <th>Created</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            ${list.map(
              (a) =>
                html`<tr key=${a.id}>
                  <td><code>${a.id}</code></td>
                  <td>${a.name}</td>
                  <td>
                    ${a.subscribed ? html`<span class="ok">Subscribed</span>` : html`<span class="error">Not subscribed</span>`}
                  </td>
                  <td>${when(a.createdAt)}</td>
                  <td class="actions">
                    <a href=${href('account', { account: a.id })}>RAM users and keys</a>
                    ${' '}
                    <a href=${href('spaces', { account: a.id })}>Spaces</a>
                    ${' '}
                    <button
                      type="button"
                      class="secondary"
                      disabled=${toggle.busy}
                      onClick=${() =>
                        void toggle
                          .run(() =>
                            api('POST', `accounts/${seg(a.id)}/subscription`, { subscribed: !a.subscribed }),
                          )
                          .then(() => accounts.reload())}
                    >
                      ${a.subscribed ? 'Unsubscribe' : 'Subscribe'}
                    </button>
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>`
      }
    <//>
  </main>`;
}
