import { useState } from 'preact/hooks';
import { html } from '../../shared/html.js';
import { api, queryString, seg } from '../api.js';
import { AccountPicker } from '../pickers.js';
import { setParams, type Route } from '../route.js';
import { ErrorBox, Section, Select, Status, useAction, useLoad, when } from '../ui.js';

interface WebhookEvent {
  id: string;
  url: string;
  type: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string;
  deliveredAt: string | null;
  createdAt: string;
  payload: unknown;
}

const STATUSES: Array<[string, string]> = [
  ['', 'any'],
  ['pending', 'pending'],
  ['delivered', 'delivered'],
  ['failed', 'failed'],
];

/** An account's webhook events, their delivery attempts and a redelivery: `cams webhook events`. */
export function WebhooksPage({ route }: { route: Route }) {
  const account = route.params.get('account') ?? '';
  const status = route.params.get('status') ?? '';
  return html`<main>
    <h1>Webhook events</h1>
    <div class="filters">
      <${AccountPicker}
        value=${account}
        onChange=${(id: string) => setParams('webhooks', { account: id, status })}
      />
      <${Select}
        label="Delivery"
        name="status"
        value=${status}
        options=${STATUSES}
        onChange=${(v: string) => setParams('webhooks', { account, status: v })}
      />
    </div>
    ${account !== '' && html`<${Events} account=${account} status=${status} key=${`${account}|${status}`} />`}
  </main>`;
}

function Events({ account, status }: { account: string; status: string }) {
  const [limit, setLimit] = useState('50');
  const events = useLoad(
    () =>
      api<{ events: WebhookEvent[] }>(
        'GET',
        `accounts/${seg(account)}/webhooks${queryString({ status, limit })}`,
      ),
    [account, status, limit],
  );
  const act = useAction();
  const list = events.data?.events ?? [];
  return html`<${Section} title="Events, newest first">
    <${ErrorBox} error=${act.error} />
    <${Status} loaded=${events} empty=${events.data !== undefined && list.length === 0} />
    ${
      list.length > 0 &&
      html`<table>
        <thead>
          <tr>
            <th>Event</th>
            <th>Delivery</th>
            <th>Attempts</th>
            <th>Last answer</th>
            <th>Receiver</th>
            <th>Created</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          ${list.map(
            (e) =>
              html`<tr key=${e.id}>
                <td><code>${e.id}</code><br />${e.type}</td>
                <td class=${e.status === 'failed' ? 'error' : e.status === 'delivered' ? 'ok' : ''}>
                  ${e.status}${e.status === 'delivered' ? html`<br /><span class="muted">${when(e.deliveredAt)}</span>` : ''}
                  ${e.status === 'pending' ? html`<br /><span class="muted">next ${when(e.nextAttemptAt)}</span>` : ''}
                </td>
                <td>${e.attempts}</td>
                <td>${e.lastStatusCode === null ? '' : `HTTP ${e.lastStatusCode}`} ${e.lastError ?? ''}</td>
                <td><code>${e.url}</code></td>
                <td>${when(e.createdAt)}</td>
                <td>
                  <${Attempts} account=${account} event=${e.id} />
                  <details>
                    <summary>Payload</summary>
                    <pre class="payload">${JSON.stringify(e.payload, null, 2)}</pre>
                  </details>
                  ${
                    e.status !== 'pending' &&
                    html`<button
                      type="button"
                      class="secondary"
                      disabled=${act.busy}
                      onClick=${() =>
                        void act
                          .run(() => api('POST', `accounts/${seg(account)}/webhooks/${seg(e.id)}/redeliver`))
                          .then(events.reload)}
                    >
                      Redeliver
                    </button>`
                  }
                </td>
              </tr>`,
          )}
        </tbody>
      </table>`
    }
    <${Select}
      label="Show"
      value=${limit}
      options=${[
        ['50', 'the newest 50'],
        ['200', 'the newest 200'],
      ]}
      onChange=${setLimit}
    />
  <//>`;
}

interface Attempt {
  attempt: number;
  at: string;
  outcome: string;
  statusCode: number | null;
  error: string | null;
}

/** Every delivery attempt of one event, loaded when the operator opens it. */
function Attempts({ account, event }: { account: string; event: string }) {
  const [open, setOpen] = useState(false);
  return html`<details
    class="attempts"
    onToggle=${(e: Event) => setOpen((e.target as HTMLDetailsElement).open)}
  >
    <summary>Attempts</summary>
    ${open && html`<${AttemptList} account=${account} event=${event} />`}
  </details>`;
}

function AttemptList({ account, event }: { account: string; event: string }) {
  const attempts = useLoad(
    () => api<{ attempts: Attempt[] }>('GET', `accounts/${seg(account)}/webhooks/${seg(event)}/attempts`),
    [account, event],
  );
  return html`<div class="nested">
    <${Status} loaded=${attempts} empty=${attempts.data?.attempts.length === 0} />
    ${
      (attempts.data?.attempts.length ?? 0) > 0 &&
      html`<ol>
        ${attempts.data!.attempts.map(
          (a) =>
            html`<li key=${a.attempt}>
              ${when(a.at)}: ${a.statusCode === null ? '' : `HTTP ${a.statusCode} `}${a.error ?? ''}
              <span class="muted"> → ${a.outcome}</span>
            </li>`,
        )}
      </ol>`
    }
  </div>`;
}
