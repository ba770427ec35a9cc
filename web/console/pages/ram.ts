import { useState } from 'preact/hooks';
import { html } from '../../shared/html.js';
import { api, seg } from '../api.js';
import { AccountPicker } from '../pickers.js';
import { setParams, type Route } from '../route.js';
import { ErrorBox, Field, Form, Section, Select, Status, useAction, useLoad, when } from '../ui.js';

interface User {
  id: string;
  name: string;
  displayName: string;
  createdAt: string;
}
interface Key {
  id: string;
  userId?: string;
  status: 'Active' | 'Inactive';
  createdAt: string;
}
interface Policy {
  name: string;
  type: 'System' | 'Custom';
  document: string;
}
interface NewKey {
  accessKeyId: string;
  accessKeySecret: string;
}

/** RAM users, access keys and policies of one account: `cams user/key/policy ...`. */
export function RamPage({ route }: { route: Route }) {
  const account = route.params.get('account') ?? '';
  return html`<main>
    <h1>RAM users, access keys and policies</h1>
    <${AccountPicker} value=${account} onChange=${(id: string) => setParams('account', { account: id })} />
    ${
      account !== '' &&
      html`<${Users} account=${account} key=${`u${account}`} /><${Keys}
          account=${account}
          key=${`k${account}`}
        /><${Policies} account=${account} key=${`p${account}`} />`
    }
  </main>`;
}

function Users({ account }: { account: string }) {
  const users = useLoad(() => api<{ users: User[] }>('GET', `accounts/${seg(account)}/users`), [account]);
  const [name, setName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [open, setOpen] = useState<string | undefined>();
  const create = useAction();
  return html`<${Section} title="RAM users">
    <${Form}
      label="New RAM user"
      submit="Create user"
      busy=${create.busy}
      onSubmit=${() =>
        void create
          .run(() =>
            api('POST', `accounts/${seg(account)}/users`, { name, displayName: displayName || undefined }),
          )
          .then((done) => {
            if (done) setName('');
            users.reload();
          })}
    >
      <${Field} label="User name" value=${name} onInput=${setName} required=${true} />
      <${Field} label="Display name" value=${displayName} onInput=${setDisplayName} />
    <//>
    <${ErrorBox} error=${create.error} />
    <${Status} loaded=${users} empty=${users.data?.users.length === 0} />
    ${
      (users.data?.users.length ?? 0) > 0 &&
      html`<table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Display name</th>
            <th>ID</th>
            <th>Created</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          ${users.data!.users.map(
            (u) =>
              html`<tr key=${u.id}>
                  <td>${u.name}</td>
                  <td>${u.displayName}</td>
                  <td><code>${u.id}</code></td>
                  <td>${when(u.createdAt)}</td>
                  <td>
                    <button
                      type="button"
                      class="secondary"
                      aria-expanded=${open === u.name}
                      onClick=${() => setOpen(open === u.name ? undefined : u.name)}
                    >
                      Policies of ${u.name}
                    </button>
                  </td>
                </tr>
                ${
                  open === u.name &&
                  html`<tr key=${`${u.id}-p`}>
                    <td colspan="5"><${UserPolicies} account=${account} user=${u.name} /></td>
                  </tr>`
                }`,
          )}
        </tbody>
      </table>`
    }
  <//>`;
}

function UserPolicies({ account, user }: { account: string; user: string }) {
  const base = `accounts/${seg(account)}/users/${seg(user)}/policies`;
  const attached = useLoad(
    () => api<{ policies: Array<{ name: string; type: string }> }>('GET', base),
    [base],
  );
  const all = useLoad(
    () => api<{ policies: Policy[] }>('GET', `accounts/${seg(account)}/policies`),
    [account],
  );
  const [policy, setPolicy] = useState('');
  const act = useAction();
  const options: Array<[string, string]> = [
    ['', '— choose a policy —'],
    ...(all.data?.policies ?? []).map((p): [string, string] => [p.name, `${p.name} (${p.type})`]),
  ];
  return html`<div class="nested">
    <${Status} loaded=${attached} empty=${attached.data?.policies.length === 0} />
    <ul>
      ${(attached.data?.policies ?? []).map(
        (p) =>
          html`<li key=${p.name}>
            ${p.name} <span class="muted">(${p.type})</span>${' '}
            <button
              type="button"
              class="secondary"
              disabled=${act.busy}
              onClick=${() => void act.run(() => api('DELETE', `${base}/${seg(p.name)}`)).then(() => attached.reload())}
            >
              Detach ${p.name}
            </button>
          </li>`,
      )}
    </ul>
    <${Form}
      label=${`Attach a policy to ${user}`}
      submit="Attach"
      busy=${act.busy}
      onSubmit=${() => void act.run(() => api('POST', base, { policy })).then(() => attached.reload())}
    >
      <${Select} label="Policy" value=${policy} options=${options} onChange=${setPolicy} />
    <//>
    <${ErrorBox} error=${act.error} />
  </div>`;
}

function Keys({ account }: { account: string }) {
  const keys = useLoad(() => api<{ keys: Key[] }>('GET', `accounts/${seg(account)}/keys`), [account]);
  const users = useLoad(() => api<{ users: User[] }>('GET', `accounts/${seg(account)}/users`), [account]);
  const [user, setUser] = useState('');
  const [created, setCreated] = useState<NewKey | undefined>();
  const act = useAction();
  const userName = (id: string | undefined) =>
    id === undefined ? 'root' : (users.data?.users.find((u) => u.id === id)?.name ?? id);
  const options: Array<[string, string]> = [
    ['', 'the account (root key)'],
    ...(users.data?.users ?? []).map((u): [string, string] => [u.name, u.name]),
  ];
  return html`<${Section} title="Access keys">
    <${Form}
      label="New access key"
      submit="Create access key"
      busy=${act.busy}
      onSubmit=${() =>
        void act
          .run(async () => {
            const answer = await api<{ key: NewKey }>('POST', `accounts/${seg(account)}/keys`, {
              userName: user || undefined,
            });
            setCreated(answer.key);
          })
          .then(() => keys.reload())}
    >
      <${Select} label="For" value=${user} options=${options} onChange=${setUser} />
    <//>
    ${
      created !== undefined &&
      html`<div class="secret" role="status">
        <p><strong>The secret is shown only now: store it.</strong></p>
        <dl>
          <dt>AccessKeyId</dt>
          <dd><code>${created.accessKeyId}</code></dd>
          <dt>AccessKeySecret</dt>
          <dd><code class="key-secret">${created.accessKeySecret}</code></dd>
        </dl>
        <button type="button" class="secondary" onClick=${() => setCreated(undefined)}>
          I have stored it
        </button>
      </div>`
    }
    <${ErrorBox} error=${act.error} />
    <${Status} loaded=${keys} empty=${keys.data?.keys.length === 0} />
    ${
      (keys.data?.keys.length ?? 0) > 0 &&
      html`<table>
        <thead>
          <tr>
            <th>AccessKeyId</th>
            <th>Belongs to</th>
            <th>Status</th>
            <th>Created</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          ${keys.data!.keys.map(
            (k) =>
              html`<tr key=${k.id}>
                <td><code>${k.id}</code></td>
                <td>${userName(k.userId)}</td>
                <td class=${k.status === 'Active' ? 'ok' : 'error'}>${k.status}</td>
                <td>${when(k.createdAt)}</td>
                <td>
                  <button
                    type="button"
                    class="secondary"
                    disabled=${act.busy}
                    onClick=${() =>
                      void act
                        .run(() =>
                          api('POST', `accounts/${seg(account)}/keys/${seg(k.id)}/status`, {
                            status: k.status === 'Active' ? 'Inactive' : 'Active',
                          }),
                        )
                        .then(() => keys.reload())}
                  >
                    ${k.status === 'Active' ? 'Disable' : 'Enable'} ${k.id}
                  </button>
                </td>
              </tr>`,
          )}
        </tbody>
      </table>`
    }
  <//>`;
}

const EXAMPLE = JSON.stringify(
  { Version: '1', Statement: [{ Effect: 'Allow', Action: ['cams:Query*', 'cams:Get*'], Resource: '*' }] },
  null,
  2,
);

function Policies({ account }: { account: string }) {
  const policies = useLoad(
    () => api<{ policies: Policy[] }>('GET', `accounts/${seg(account)}/policies`),
    [account],
  );
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [document, setDocument] = useState(EXAMPLE);
  const act = useAction();
  return html`<${Section} title="Policies">
    <form
      class="stacked-form"
      aria-label="New custom policy"
      onSubmit=${(e: Event) => {
        e.preventDefault();
        void act
          .run(() => api('POST', `accounts/${seg(account)}/policies`, { name, document, description }))
          .then((done) => {
            if (done) setName('');
            policies.reload();
          });
      }}
    >
      <${Field} label="Policy name" value=${name} onInput=${setName} required=${true} />
      <${Field} label="Description" value=${description} onInput=${setDescription} />
      <label for="policy-document">Policy document (Alibaba's RAM grammar)</label>
      <textarea
        id="policy-document"
        rows="8"
        cols="70"
        value=${document}
        onInput=${(e: Event) => setDocument((e.target as HTMLTextAreaElement).value)}
      ></textarea>
      <div><button type="submit" disabled=${act.busy}>Create policy</button></div>
    </form>
    <${ErrorBox} error=${act.error} />
    <${Status} loaded=${policies} />
    ${
      policies.data !== undefined &&
      html`<table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Type</th>
            <th>Document</th>
          </tr>
        </thead>
        <tbody>
          ${policies.data.policies.map(
            (p) =>
              html`<tr key=${`${p.type}:${p.name}`}>
                <td>${p.name}</td>
                <td>${p.type}</td>
                <td>
                  <details>
                    <summary>Show</summary>
                    <pre>${p.document}</pre>
                  </details>
                </td>
              </tr>`,
          )}
        </tbody>
      </table>`
    }
  <//>`;
}
