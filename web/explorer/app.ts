import { useEffect, useMemo, useState } from 'preact/hooks';
import { html } from '../shared/html.js';
import { Answer } from './answer.js';
import type { ActionCatalogue, CatalogueAction, CatalogueParam } from './catalogue.js';
import {
  fetchDemoKey,
  forgetCredentials,
  loadCredentials,
  saveCredentials,
  type Credentials,
  type DemoKey,
} from './credentials.js';
import { formErrors } from './form-check.js';
import { sample, SAMPLE_LANGUAGES, sampleLabel, type SampleLanguage } from './samples.js';
import { callAction, type CallResult } from './send.js';

type Load<T> =
  | { readonly state: 'loading' }
  | { readonly state: 'error'; readonly message: string }
  | { readonly state: 'ready'; readonly value: T };

const fieldId = (name: string) => `p-${name}`;
const CREDENTIALS_ERROR = 'Enter an AccessKey ID and its secret to sign the request with.';

function CredentialsFields(props: {
  credentials: Credentials;
  onChange: (c: Credentials) => void;
  demo: DemoKey | undefined;
  error: string | undefined;
}) {
  const { credentials, onChange, demo, error } = props;
  const set = (patch: Partial<Credentials>) => onChange({ ...credentials, ...patch });
  return html`<fieldset class="credentials">
    <legend>AccessKey</legend>
    <label for="ak-id">AccessKey ID</label>
    <input
      id="ak-id"
      autocomplete="off"
      spellcheck=${false}
      value=${credentials.accessKeyId}
      onInput=${(e: Event) => set({ accessKeyId: (e.target as HTMLInputElement).value })}
    />
    <label for="ak-secret">AccessKey secret</label>
    <input
      id="ak-secret"
      type="password"
      autocomplete="off"
      value=${credentials.accessKeySecret}
      aria-describedby="ak-note"
      onInput=${(e: Event) => set({ accessKeySecret: (e.target as HTMLInputElement).value })}
    />
    <p id="ak-note" class="muted">
      Kept in this tab only (sessionStorage). The secret never leaves the browser: it signs the request
      (signature V3, ACS3-HMAC-SHA256).
    </p>
    ${error === undefined ? null : html`<p class="error" role="alert">${error}</p>`}
    <div class="row">
      ${
        demo === undefined
          ? null
          : html`<button
              type="button"
              class="secondary"
              onClick=${() => onChange({ accessKeyId: demo.accessKeyId, accessKeySecret: demo.accessKeySecret })}
            >
              Use the demo key
            </button>`
      }
      <button
        type="button"
        class="secondary"
        onClick=${() => {
          forgetCredentials();
          onChange({ accessKeyId: '', accessKeySecret: '' });
        }}
      >
        Forget the key
      </button>
    </div>
  </fieldset>`;
}

function ParamField(props: {
  param: CatalogueParam;
  value: string;
  error: string | undefined;
  sendEmpty: boolean;
  onInput: (value: string) => void;
  onSendEmpty: (on: boolean) => void;
}) {
  const { param: p, value, error } = props;
  const id = fieldId(p.name);
  const described = `${id}-help${error === undefined ? '' : ` ${id}-error`}`;
  const input = (e: Event) => props.onInput((e.target as HTMLInputElement).value);
  const facts = [
    p.type,
    `in the ${p.location}`,
    ...(p.maxLength === undefined ? [] : [`at most ${p.maxLength} characters`]),
    ...(p.deprecated ? ['deprecated'] : []),
  ].join(' · ');
  const common = {
    id,
    name: p.name,
    value,
    'aria-describedby': described,
    'aria-invalid': error === undefined ? 'false' : 'true',
    'aria-required': p.required ? 'true' : 'false',
  };
  let control;
  if (p.enum !== undefined) {
    control = html`<select ...${common} onChange=${input}>
      <option value="">${p.required ? 'Choose…' : '(not sent)'}</option>
      ${p.enum.map((v) => html`<option value=${v}>${v}</option>`)}
    </select>`;
  } else if (p.type === 'json') {
    control = html`<textarea ...${common} rows="3" onInput=${input}></textarea>`;
  } else {
    control = html`<input
      ...${common}
      type="text"
      autocomplete="off"
      inputmode=${p.type === 'integer' ? 'numeric' : undefined}
      onInput=${input}
    />`;
  }
  return html`<div class="field">
    <label for=${id}>${p.name}${p.required ? html` <span class="required">required</span>` : null}</label>
    ${control}
    ${
      p.allowEmpty && !p.required
        ? html`<label class="inline">
            <input
              type="checkbox"
              checked=${props.sendEmpty}
              onChange=${(e: Event) => props.onSendEmpty((e.target as HTMLInputElement).checked)}
            />
            Send it empty when left blank (an empty value clears it)
          </label>`
        : null
    }
    <small id=${`${id}-help`} class="muted">${facts}. ${p.description}</small>
    ${error === undefined ? null : html`<p id=${`${id}-error`} class="error">${error}</p>`}
  </div>`;
}

function Samples(props: { action: CatalogueAction; values: Record<string, string> }) {
  const [language, setLanguage] = useState<SampleLanguage>('typescript');
  const code = sample(language, {
    action: props.action,
    values: props.values,
    endpoint: location.host,
    protocol: location.protocol === 'https:' ? 'https' : 'http',
  });
  return html`<section aria-labelledby="samples-h">
    <h2 id="samples-h">Sample code</h2>
    <div class="row" role="group" aria-label="Language">
      ${SAMPLE_LANGUAGES.map(
        (l) =>
          html`<button
            type="button"
            class=${l === language ? '' : 'secondary'}
            aria-pressed=${l === language ? 'true' : 'false'}
            onClick=${() => setLanguage(l)}
          >
            ${sampleLabel(l, props.action)}
          </button>`,
      )}
    </div>
    <p class="muted">
      The credentials come from the environment (ALIBABA_CLOUD_ACCESS_KEY_ID,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET); no secret is written in the code.
    </p>
    <pre data-testid="sample"><code>${code}</code></pre>
  </section>`;
}

function ActionView(props: {
  action: CatalogueAction;
  credentials: Credentials;
  onCredentials: (c: Credentials) => void;
  demo: DemoKey | undefined;
}) {
  const { action, credentials, demo } = props;
  const [values, setValues] = useState<Record<string, string>>((): Record<string, string> =>
    demo !== undefined && action.params.some((p) => p.name === 'CustSpaceId')
      ? { CustSpaceId: demo.custSpaceId }
      : {},
  );
  // The demo key may arrive after the form is shown: its space fills a CustSpaceId not typed yet.
  useEffect(() => {
    if (demo === undefined || !action.params.some((p) => p.name === 'CustSpaceId')) return;
    setValues((v) => (v.CustSpaceId === undefined ? { ...v, CustSpaceId: demo.custSpaceId } : v));
  }, [demo, action]);
  const [sendEmpty, setSendEmpty] = useState<ReadonlySet<string>>(new Set());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [credentialsError, setCredentialsError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<CallResult | undefined>();
  const [failure, setFailure] = useState<string | undefined>();

  const onInput = (name: string, value: string) => {
    const next = { ...values, [name]: value };
    setValues(next);
    // Once a field was refused, its message follows what is typed.
    if (errors[name] !== undefined) {
      const message = formErrors(action.params, next)[name];
      setErrors((previous) => {
        const copy = { ...previous };
        if (message === undefined) delete copy[name];
        else copy[name] = message;
        return copy;
      });
    }
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const found = formErrors(action.params, values);
    const keyMissing = credentials.accessKeyId === '' || credentials.accessKeySecret === '';
    setErrors(found);
    setCredentialsError(keyMissing ? CREDENTIALS_ERROR : undefined);
    const first = keyMissing
      ? credentials.accessKeyId === ''
        ? 'ak-id'
        : 'ak-secret'
      : action.params.find((p) => found[p.name] !== undefined)?.name;
    if (first !== undefined) {
      document.getElementById(first.startsWith('ak-') ? first : fieldId(first))?.focus();
      return;
    }
    setBusy(true);
    setFailure(undefined);
    try {
      setResult(await callAction(action, values, credentials, sendEmpty));
    } catch (error) {
      setResult(undefined);
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  return html`<article aria-labelledby="action-h">
    <p class="muted" data-testid="product">
      ${action.product.code.toUpperCase()} API, Version <code>${action.version}</code>
    </p>
    <h1 id="action-h">${action.name}</h1>
    <p>${action.summary}</p>
    <p class="muted">
      RAM action <code>${action.ramAction}</code> (access level ${action.accessLevel}) · ${action.qps} calls
      per second per account · ${action.writes ? 'changes state' : 'reads only'}
    </p>
    ${
      action.limitations.length === 0
        ? null
        : html`<details>
            <summary>How this service differs from Alibaba's</summary>
            <ul>
              ${action.limitations.map((l) => html`<li>${l}</li>`)}
            </ul>
          </details>`
    }
    <form onSubmit=${submit} novalidate>
      <${CredentialsFields}
        credentials=${credentials}
        onChange=${(c: Credentials) => {
          saveCredentials(c);
          props.onCredentials(c);
          setCredentialsError(undefined);
        }}
        demo=${demo}
        error=${credentialsError}
      />
      <fieldset>
        <legend>Parameters</legend>
        ${action.params.length === 0 ? html`<p class="muted">This action takes no parameters.</p>` : null}
        ${action.params.map(
          (p) =>
            html`<${ParamField}
              key=${p.name}
              param=${p}
              value=${values[p.name] ?? ''}
              error=${errors[p.name]}
              sendEmpty=${sendEmpty.has(p.name)}
              onInput=${(v: string) => onInput(p.name, v)}
              onSendEmpty=${(on: boolean) => {
                const next = new Set(sendEmpty);
                if (on) next.add(p.name);
                else next.delete(p.name);
                setSendEmpty(next);
              }}
            />`,
        )}
      </fieldset>
      <button id="send" type="submit" disabled=${busy}>${busy ? 'Sending…' : `Send ${action.name}`}</button>
    </form>
    <section aria-labelledby="answer-h" aria-busy=${busy ? 'true' : 'false'}>
      <h2 id="answer-h">Answer</h2>
      <div aria-live="polite">
        ${busy ? html`<p>Sending…</p>` : null}
        ${failure === undefined ? null : html`<p role="alert">The request did not complete: ${failure}</p>`}
        ${
          result === undefined
            ? busy || failure !== undefined
              ? null
              : html`<p class="muted">Fill the form and send it; the answer shows here.</p>`
            : html`<${Answer} result=${result} />`
        }
      </div>
    </section>
    <${Samples} action=${action} values=${values} />
  </article>`;
}

/** An action's address in the URL hash: `#ram/CreateUser`, unambiguous whatever names products share. */
const actionHash = (a: CatalogueAction) => `#${a.product.code}/${a.name}`;

function selectedFromHash(): string {
  return decodeURIComponent(location.hash.slice(1));
}

/** The action `selected` names: `ram/CreateUser`, or a bare `CreateUser` (the first product having it). */
function findAction(actions: readonly CatalogueAction[], selected: string): CatalogueAction | undefined {
  const slash = selected.indexOf('/');
  if (slash < 0) return actions.find((a) => a.name === selected);
  const code = selected.slice(0, slash).toLowerCase();
  const name = selected.slice(slash + 1);
  return actions.find((a) => a.product.code === code && a.name === name);
}

/** The explorer: the actions, a form per action, the answer, sample code. */
export function App() {
  const [catalogue, setCatalogue] = useState<Load<ActionCatalogue>>({ state: 'loading' });
  const [selected, setSelected] = useState(selectedFromHash);
  const [credentials, setCredentials] = useState<Credentials>(loadCredentials);
  const [demo, setDemo] = useState<DemoKey | undefined>();

  useEffect(() => {
    fetch('/explorer/api/actions', { cache: 'no-cache' })
      .then(async (res) => {
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        setCatalogue({ state: 'ready', value: (await res.json()) as ActionCatalogue });
      })
      .catch((error: unknown) =>
        setCatalogue({ state: 'error', message: error instanceof Error ? error.message : String(error) }),
      );
    void fetchDemoKey().then((key) => {
      if (key === undefined) return;
      setDemo(key);
      if (loadCredentials().accessKeyId === '') {
        const c = { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret };
        saveCredentials(c);
        setCredentials(c);
      }
    });
    const onHash = () => setSelected(selectedFromHash());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  const actions = catalogue.state === 'ready' ? catalogue.value.actions : [];
  const action = useMemo(() => findAction(actions, selected) ?? actions[0], [actions, selected]);

  if (catalogue.state === 'loading') {
    return html`<main><p aria-busy="true">Loading the actions…</p></main>`;
  }
  if (catalogue.state === 'error') {
    return html`<main>
      <p role="alert">
        The list of actions could not be loaded (${catalogue.message}). Reload the page to try again.
      </p>
    </main>`;
  }
  return html`<main class="explorer">
    <nav aria-label="Actions">
      <h2>Actions</h2>
      ${catalogue.value.products.map((p) => {
        const headingId = `nav-${p.code}`;
        return html`<section key=${p.code} aria-labelledby=${headingId}>
          <h3 id=${headingId}>${p.code.toUpperCase()} <span class="muted">${p.version}</span></h3>
          <ul aria-labelledby=${headingId}>
            ${actions
              .filter((a) => a.product.code === p.code)
              .map(
                (a) =>
                  html`<li>
                    <a href=${actionHash(a)} aria-current=${a === action ? 'page' : undefined}>${a.name}</a>
                  </li>`,
              )}
          </ul>
        </section>`;
      })}
    </nav>
    ${
      action === undefined
        ? html`<p>No action is implemented.</p>`
        : html`<${ActionView}
            key=${actionHash(action)}
            action=${action}
            credentials=${credentials}
            onCredentials=${setCredentials}
            demo=${demo}
          />`
    }
  </main>`;
}
