import { useState } from 'preact/hooks';
import { html } from '../../shared/html.js';
import { api, queryString } from '../api.js';
import { setParams, type Route } from '../route.js';
import { Field, Section, Status, useLoad, when } from '../ui.js';

interface AuditEvent {
  id: string;
  at: string;
  requestId: string;
  accountId?: string;
  identity: string;
  accessKeyId?: string;
  action: string;
  custSpaceId?: string;
  phoneNumber?: string;
  code: string;
  sourceIp: string;
}

const FILTERS = ['account', 'action', 'code', 'since', 'until'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

/** Who did what, newest first: `cams audit` (the gateway's writes and denials, operator and console writes). */
export function AuditPage({ route }: { route: Route }) {
  const applied = Object.fromEntries(FILTERS.map((f) => [f, route.params.get(f) ?? ''])) as Filters;
  const [draft, setDraft] = useState<Filters>(applied);
  return html`<main>
    <h1>Audit trail</h1>
    <form
      class="inline-form"
      aria-label="Filter the audit trail"
      onSubmit=${(e: Event) => {
        e.preventDefault();
        setParams('audit', draft);
      }}
    >
      <${Field}
        label="Account"
        value=${draft.account}
        onInput=${(v: string) => setDraft({ ...draft, account: v })}
      />
      <${Field}
        label="Action"
        value=${draft.action}
        onInput=${(v: string) => setDraft({ ...draft, action: v })}
      />
      <${Field} label="Code" value=${draft.code} onInput=${(v: string) => setDraft({ ...draft, code: v })} />
      <${Field}
        label="Since (1h, 7d or a time)"
        value=${draft.since}
        onInput=${(v: string) => setDraft({ ...draft, since: v })}
      />
      <${Field}
        label="Until"
        value=${draft.until}
        onInput=${(v: string) => setDraft({ ...draft, until: v })}
      />
      <div class="field"><button type="submit" class="secondary">Filter</button></div>
    </form>
    <${Events} filters=${applied} key=${JSON.stringify(applied)} />
  </main>`;
}

function Events({ filters }: { filters: Filters }) {
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const page = useLoad(
    () =>
      api<{ events: AuditEvent[]; nextCursor?: string }>(
        'GET',
        `audit${queryString({ ...filters, limit: '50', cursor })}`,
      ),
    [cursor],
  );
  return html`<${Section} title="Events, newest first">
    <${Status} loaded=${page} empty=${page.data?.events.length === 0} />
    ${
      (page.data?.events.length ?? 0) > 0 &&
      html`<table aria-busy=${page.loading}>
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>Action</th>
            <th>Account</th>
            <th>Space / number</th>
            <th>Result</th>
            <th>From</th>
          </tr>
        </thead>
        <tbody>
          ${page.data!.events.map(
            (e) =>
              html`<tr key=${e.id}>
                <td>${when(e.at)}</td>
                <td>
                  ${e.identity}${e.accessKeyId === undefined ? '' : html`<br /><code>${e.accessKeyId}</code>`}
                </td>
                <td>${e.action}</td>
                <td><code>${e.accountId ?? ''}</code></td>
                <td>${e.custSpaceId ?? ''} ${e.phoneNumber ?? ''}</td>
                <td class=${e.code === 'OK' ? 'ok' : 'error'}>${e.code}</td>
                <td>${e.sourceIp}</td>
              </tr>`,
          )}
        </tbody>
      </table>`
    }
    <nav class="pager" aria-label="Pages of the audit trail">
      <button
        type="button"
        class="secondary"
        disabled=${cursors.length === 0}
        onClick=${() => setCursors(cursors.slice(0, -1))}
      >
        Newer
      </button>
      <button
        type="button"
        class="secondary"
        disabled=${page.data?.nextCursor === undefined}
        onClick=${() => setCursors([...cursors, page.data!.nextCursor!])}
      >
        Older
      </button>
    </nav>
  <//>`;
}
