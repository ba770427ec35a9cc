import { useState } from 'preact/hooks';
import { html } from '../../shared/html.js';
import { api, queryString } from '../api.js';
import { setParams, type Route } from '../route.js';
import { Field, Section, Status, useLoad, when } from '../ui.js';

interface Message {
  id: string;
  e164: string;
  method: string;
  language: string;
  code: string;
  sentAt: string;
  expiresAt: string;
}

/** The verification codes the simulator "sent": `cams sim outbox`. */
export function OutboxPage({ route }: { route: Route }) {
  const phoneNumber = route.params.get('phoneNumber') ?? '';
  const [text, setText] = useState(phoneNumber);
  const outbox = useLoad(
    () => api<{ messages: Message[] }>('GET', `sim/outbox${queryString({ phoneNumber })}`),
    [phoneNumber],
  );
  const messages = [...(outbox.data?.messages ?? [])].reverse();
  return html`<main>
    <h1>Simulator outbox</h1>
    <p class="muted">The codes the simulator sent by SMS or voice, newest first.</p>
    <form
      class="inline-form"
      aria-label="Filter the outbox"
      onSubmit=${(e: Event) => {
        e.preventDefault();
        setParams('outbox', { phoneNumber: text.replace(/\D/g, '') });
      }}
    >
      <${Field} label="Phone number (country code first)" value=${text} onInput=${setText} type="search" />
      <div class="field"><button type="submit" class="secondary">Show</button></div>
      <div class="field">
        <button type="button" class="secondary" onClick=${outbox.reload}>Reload</button>
      </div>
    </form>
    <${Section} title="Messages">
      <${Status} loaded=${outbox} empty=${outbox.data?.messages.length === 0} />
      ${
        messages.length > 0 &&
        html`<table>
          <thead>
            <tr>
              <th>Number</th>
              <th>By</th>
              <th>Language</th>
              <th>Code</th>
              <th>Sent</th>
              <th>Expires</th>
            </tr>
          </thead>
          <tbody>
            ${messages.map(
              (m) =>
                html`<tr key=${m.id}>
                  <td><code>${m.e164}</code></td>
                  <td>${m.method}</td>
                  <td>${m.language}</td>
                  <td><code class="otp">${m.code}</code></td>
                  <td>${when(m.sentAt)}</td>
                  <td>${when(m.expiresAt)}</td>
                </tr>`,
            )}
          </tbody>
        </table>`
      }
    <//>
  </main>`;
}
