import { useState } from 'preact/hooks';
import { html } from '../../shared/html.js';
import { api, queryString, seg } from '../api.js';
import { AccountPicker, SpacePicker } from '../pickers.js';
import { href, setParams, type Route } from '../route.js';
import { ErrorBox, Field, Form, Section, Select, Status, useAction, useLoad, when } from '../ui.js';

export interface NumberView {
  phoneNumber: string;
  verifiedName: string;
  status: string;
  codeVerificationStatus: string;
  nameStatus: string;
  nameRejectionReason: string;
  newNameStatus: string;
  qualityRating: string;
  updatedAt: string;
}

const STATUSES: Array<[string, string]> = [
  ['', 'any'],
  ['PENDING', 'PENDING'],
  ['CONNECTED', 'CONNECTED'],
  ['OFFLINE', 'OFFLINE'],
  ['MIGRATED', 'MIGRATED'],
  ['BANNED', 'BANNED'],
  ['FLAGGED', 'FLAGGED'],
  ['RESTRICTED', 'RESTRICTED'],
  ['DELETED', 'DELETED'],
];
const NAME_STATUSES: Array<[string, string]> = [
  ['', 'any'],
  ['Pending_Review', 'Pending_Review'],
  ['Approval', 'Approval'],
  ['Rejected', 'Rejected'],
];

/** A space's numbers, a page at a time, with their lifecycle state and display-name review. */
export function NumbersPage({ route }: { route: Route }) {
  const p = route.params;
  const account = p.get('account') ?? '';
  const space = p.get('space') ?? '';
  const params = {
    account,
    space,
    status: p.get('status') ?? '',
    nameStatus: p.get('nameStatus') ?? '',
    prefix: p.get('prefix') ?? '',
  };
  const set = (change: Partial<typeof params>) => setParams('numbers', { ...params, ...change });
  return html`<main>
    <h1>Phone numbers</h1>
    <div class="filters">
      <${AccountPicker} value=${account} onChange=${(id: string) => set({ account: id, space: '' })} />
      ${
        account !== '' &&
        html`<${SpacePicker}
          account=${account}
          value=${space}
          onChange=${(id: string) => set({ space: id })}
        />`
      }
    </div>
    ${
      account !== '' &&
      space !== '' &&
      html`<${AddNumber} account=${account} space=${space} key=${`add${space}`} />
        <${NumberList}
          ...${params}
          set=${set}
          key=${`${space}|${params.status}|${params.nameStatus}|${params.prefix}`}
        />`
    }
  </main>`;
}

function AddNumber({ account, space }: { account: string; space: string }) {
  const [cc, setCc] = useState('86');
  const [phoneNumber, setPhoneNumber] = useState('');
  const [verifiedName, setVerifiedName] = useState('');
  const act = useAction();
  const [added, setAdded] = useState('');
  return html`<${Section} title="Add a number">
    <${Form}
      label="Add a number"
      submit="Add number"
      busy=${act.busy}
      onSubmit=${() =>
        void act.run(async () => {
          const answer = await api<{ number: NumberView }>(
            'POST',
            `accounts/${seg(account)}/spaces/${seg(space)}/numbers`,
            { cc, phoneNumber, verifiedName },
          );
          setAdded(answer.number.phoneNumber);
          setParams('numbers', { account, space, prefix: answer.number.phoneNumber });
        })}
    >
      <${Field} label="Country code" value=${cc} onInput=${setCc} required=${true} />
      <${Field}
        label="Phone number (without the country code)"
        value=${phoneNumber}
        onInput=${setPhoneNumber}
        required=${true}
      />
      <${Field} label="Display name" value=${verifiedName} onInput=${setVerifiedName} required=${true} />
    <//>
    ${added !== '' && act.error === undefined && html`<p role="status" class="ok">Added ${added}.</p>`}
    <${ErrorBox} error=${act.error} />
  <//>`;
}

function NumberList({
  account,
  space,
  status,
  nameStatus,
  prefix,
  set,
}: {
  account: string;
  space: string;
  status: string;
  nameStatus: string;
  prefix: string;
  set: (change: Record<string, string>) => void;
}) {
  // The cursors of the pages before this one: Previous goes back without the server keeping state.
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const [limit, setLimit] = useState('50');
  const base = `accounts/${seg(account)}/spaces/${seg(space)}/numbers`;
  const page = useLoad(
    () =>
      api<{ numbers: NumberView[]; nextCursor?: string }>(
        'GET',
        `${base}${queryString({ status, nameStatus, prefix, limit, cursor })}`,
      ),
    [base, cursor, limit],
  );
  const [prefixText, setPrefixText] = useState(prefix);
  return html`<${Section} title="Numbers">
    <form
      class="inline-form"
      aria-label="Filter numbers"
      onSubmit=${(e: Event) => {
        e.preventDefault();
        set({ prefix: prefixText.replace(/\D/g, '') });
      }}
    >
      <${Select}
        label="Status"
        name="status"
        value=${status}
        options=${STATUSES}
        onChange=${(v: string) => set({ status: v })}
      />
      <${Select}
        label="Display-name review"
        name="nameStatus"
        value=${nameStatus}
        options=${NAME_STATUSES}
        onChange=${(v: string) => set({ nameStatus: v })}
      />
      <${Field} label="Number starts with" value=${prefixText} onInput=${setPrefixText} type="search" />
      <${Select}
        label="Per page"
        value=${limit}
        options=${[
          ['20', '20'],
          ['50', '50'],
          ['200', '200'],
        ]}
        onChange=${(v: string) => {
          setCursors([]);
          setLimit(v);
        }}
      />
      <div class="field"><button type="submit" class="secondary">Filter</button></div>
    </form>
    <${Status} loaded=${page} empty=${page.data?.numbers.length === 0} />
    ${
      (page.data?.numbers.length ?? 0) > 0 &&
      html`<table aria-busy=${page.loading}>
        <thead>
          <tr>
            <th>Number</th>
            <th>Display name</th>
            <th>Status</th>
            <th>Code</th>
            <th>Name review</th>
            <th>Rejection reason</th>
            <th>Updated</th>
            <th>Onboarding</th>
          </tr>
        </thead>
        <tbody>
          ${page.data!.numbers.map(
            (n) => html`<${NumberRow} key=${n.phoneNumber} number=${n} base=${base} reload=${page.reload} />`,
          )}
        </tbody>
      </table>`
    }
    <nav class="pager" aria-label="Pages of numbers">
      <button
        type="button"
        class="secondary"
        disabled=${cursors.length === 0}
        onClick=${() => setCursors(cursors.slice(0, -1))}
      >
        Previous page
      </button>
      <span class="muted">Page ${cursors.length + 1}</span>
      <button
        type="button"
        class="secondary"
        disabled=${page.data?.nextCursor === undefined}
        onClick=${() => setCursors([...cursors, page.data!.nextCursor!])}
      >
        Next page
      </button>
    </nav>
  <//>`;
}

function NumberRow({ number: n, base, reload }: { number: NumberView; base: string; reload: () => void }) {
  const [code, setCode] = useState('');
  const act = useAction();
  const path = `${base}/${seg(n.phoneNumber)}`;
  const step = (what: string, body?: unknown) => () =>
    void act.run(() => api('POST', `${path}/${what}`, body)).then(reload);
  return html`<tr data-number=${n.phoneNumber}>
    <td><code>${n.phoneNumber}</code></td>
    <td class="display-name">${n.verifiedName}</td>
    <td class=${n.status === 'CONNECTED' ? 'ok' : ''}>${n.status}</td>
    <td>${n.codeVerificationStatus}</td>
    <td>
      ${n.nameStatus}${n.newNameStatus !== '' ? html` <span class="muted">(new name: ${n.newNameStatus})</span>` : ''}
    </td>
    <td>${n.nameRejectionReason}</td>
    <td>${when(n.updatedAt)}</td>
    <td class="actions">
      <button type="button" class="secondary" disabled=${act.busy} onClick=${step('code', { method: 'sms' })}>
        Request code
      </button>
      <a href=${href('outbox', { phoneNumber: n.phoneNumber })}>Outbox</a>
      <form
        class="row-form"
        aria-label=${`Verify ${n.phoneNumber}`}
        onSubmit=${(e: Event) => {
          e.preventDefault();
          step('verify', { code })();
        }}
      >
        <label class="visually-hidden" for=${`code-${n.phoneNumber}`}>Code for ${n.phoneNumber}</label>
        <input
          id=${`code-${n.phoneNumber}`}
          size="7"
          inputmode="numeric"
          placeholder="code"
          value=${code}
          onInput=${(e: Event) => setCode((e.target as HTMLInputElement).value)}
        />
        <button type="submit" class="secondary" disabled=${act.busy}>Verify</button>
      </form>
      <button type="button" class="secondary" disabled=${act.busy} onClick=${step('register')}>
        Register
      </button>
      <button type="button" class="secondary" disabled=${act.busy} onClick=${step('refresh')}>Refresh</button>
      <${ErrorBox} error=${act.error} />
    </td>
  </tr>`;
}
