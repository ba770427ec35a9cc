import { useState } from 'preact/hooks';
import { html } from '../../shared/html.js';
import { api, seg } from '../api.js';
import { AccountPicker, type Space } from '../pickers.js';
import { href, setParams, type Route } from '../route.js';
import { ErrorBox, Field, Form, Section, Status, useAction, useLoad, when } from '../ui.js';

/** Customer spaces and the WABA each is bound to: `cams space list/create`. Tokens are never shown. */
export function SpacesPage({ route }: { route: Route }) {
  const account = route.params.get('account') ?? '';
  return html`<main>
    <h1>Customer spaces</h1>
    <${AccountPicker} value=${account} onChange=${(id: string) => setParams('spaces', { account: id })} />
    ${account !== '' && html`<${Spaces} account=${account} key=${account} />`}
  </main>`;
}

function Spaces({ account }: { account: string }) {
  const spaces = useLoad(() => api<{ spaces: Space[] }>('GET', `accounts/${seg(account)}/spaces`), [account]);
  const [name, setName] = useState('');
  const [id, setId] = useState('');
  const [wabaId, setWabaId] = useState('');
  const create = useAction();
  return html` <${Section} title="New customer space">
      <${Form}
        label="New customer space"
        submit="Create space"
        busy=${create.busy}
        onSubmit=${() =>
          void create
            .run(() =>
              api('POST', `accounts/${seg(account)}/spaces`, {
                name,
                id: id || undefined,
                wabaId: wabaId || undefined,
              }),
            )
            .then((done) => {
              if (done) setName('');
              spaces.reload();
            })}
      >
        <${Field} label="Name" value=${name} onInput=${setName} required=${true} />
        <${Field} label="CustSpaceId (optional)" value=${id} onInput=${setId} />
        <${Field} label="WABA ID (optional with the simulator)" value=${wabaId} onInput=${setWabaId} />
      <//>
      <${ErrorBox} error=${create.error} />
    <//>
    <${Section} title="Spaces and their WABAs">
      <${Status} loaded=${spaces} empty=${spaces.data?.spaces.length === 0} />
      ${
        (spaces.data?.spaces.length ?? 0) > 0 &&
        html`<table>
          <thead>
            <tr>
              <th>CustSpaceId</th>
              <th>Name</th>
              <th>WABA</th>
              <th>Meta token</th>
              <th>Created</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            ${spaces.data!.spaces.map(
              (s) =>
                html`<tr key=${s.id}>
                  <td><code>${s.id}</code></td>
                  <td>${s.name}</td>
                  <td><code>${s.wabaId}</code></td>
                  <td>${s.ownToken ? 'its own (sealed, not shown)' : "the deployment's"}</td>
                  <td>${when(s.createdAt)}</td>
                  <td><a href=${href('numbers', { account, space: s.id })}>Phone numbers</a></td>
                </tr>`,
            )}
          </tbody>
        </table>`
      }
    <//>`;
}
