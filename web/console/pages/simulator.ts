import { useState } from 'preact/hooks';
import { html } from '../../shared/html.js';
import { api, seg } from '../api.js';
import { ErrorBox, Field, Form, Section, Select, Status, useAction, useLoad } from '../ui.js';

interface Fault {
  id: string;
  operation: string;
  scope: { e164?: string; wabaId?: string };
  error: { code: number; subcode?: number; message: string };
  remaining: number | 'always';
}
interface Faults {
  faults: Fault[];
  operations: string[];
  presets: Array<{ code: string; message: string }>;
}

/** The simulator's clock and its injected faults: `cams sim clock`, `cams sim fault`. */
export function SimulatorPage() {
  return html`<main>
    <h1>Simulator clock and faults</h1>
    <${Clock} />
    <${FaultsSection} />
  </main>`;
}

function Clock() {
  const clock = useLoad(() => api<{ now: string; offsetMs: number }>('GET', 'sim/clock'), []);
  const [advance, setAdvance] = useState('1m');
  const act = useAction();
  return html`<${Section} title="Clock">
    <p class="muted">
      Simulator time moves code expiry, display-name review and the 72-hour windows; the gateway's clock is
      not affected.
    </p>
    <${Status} loaded=${clock} />
    ${
      clock.data !== undefined &&
      html`<dl class="facts">
        <dt>Simulator time</dt>
        <dd><code class="sim-now">${clock.data.now}</code></dd>
        <dt>Ahead of real time by</dt>
        <dd><span class="sim-offset">${Math.round(clock.data.offsetMs / 1000)}</span> s</dd>
      </dl>`
    }
    <${Form}
      label="Advance the clock"
      submit="Advance"
      busy=${act.busy}
      onSubmit=${() => void act.run(() => api('POST', 'sim/clock', { advance })).then(clock.reload)}
    >
      <${Field} label="By (90s, 15m, 72h, 14d)" value=${advance} onInput=${setAdvance} required=${true} />
    <//>
    <${ErrorBox} error=${act.error} />
  <//>`;
}

function FaultsSection() {
  const faults = useLoad(() => api<Faults>('GET', 'sim/faults'), []);
  const [operation, setOperation] = useState('register');
  const [preset, setPreset] = useState('');
  const [phoneNumber, setPhoneNumber] = useState('');
  const [custSpaceId, setCustSpaceId] = useState('');
  const [times, setTimes] = useState('1');
  const act = useAction();
  const data = faults.data;
  return html`<${Section} title="Faults">
    <p class="muted">Make the next (or every) matching upstream call fail with a Meta error.</p>
    ${
      data !== undefined &&
      html`<${Form}
        label="Inject a fault"
        submit="Inject fault"
        busy=${act.busy}
        onSubmit=${() =>
          void act
            .run(() =>
              api('POST', 'sim/faults', {
                operation,
                preset,
                phoneNumber: phoneNumber || undefined,
                custSpaceId: custSpaceId || undefined,
                times,
              }),
            )
            .then(faults.reload)}
      >
        <${Select}
          label="Operation"
          value=${operation}
          options=${data.operations.map((o): [string, string] => [o, o])}
          onChange=${setOperation}
        />
        <${Select}
          label="Meta error"
          value=${preset}
          options=${[
            ['', '— choose —'],
            ...data.presets.map((p): [string, string] => [p.code, `${p.code}: ${p.message.slice(0, 60)}`]),
          ]}
          onChange=${setPreset}
        />
        <${Field} label="Only this number" value=${phoneNumber} onInput=${setPhoneNumber} />
        <${Field} label="Only this space" value=${custSpaceId} onInput=${setCustSpaceId} />
        <${Field} label="Times (or always)" value=${times} onInput=${setTimes} />
      <//>`
    }
    <${ErrorBox} error=${act.error} />
    <${Status} loaded=${faults} empty=${data?.faults.length === 0} />
    ${
      (data?.faults.length ?? 0) > 0 &&
      html`<table>
          <thead>
            <tr>
              <th>ID</th>
              <th>Operation</th>
              <th>Error</th>
              <th>Scope</th>
              <th>Remaining</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            ${data!.faults.map(
              (f) =>
                html`<tr key=${f.id}>
                  <td><code>${f.id}</code></td>
                  <td>${f.operation}</td>
                  <td>
                    ${f.error.code}${f.error.subcode === undefined ? '' : `/${f.error.subcode}`}
                    ${f.error.message}
                  </td>
                  <td>
                    ${f.scope.e164 ?? ''} ${f.scope.wabaId === undefined ? '' : `WABA ${f.scope.wabaId}`}
                  </td>
                  <td>${String(f.remaining)}</td>
                  <td>
                    <button
                      type="button"
                      class="secondary"
                      onClick=${() => void act.run(() => api('DELETE', `sim/faults/${seg(f.id)}`)).then(faults.reload)}
                    >
                      Clear ${f.id}
                    </button>
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
        <button
          type="button"
          class="secondary"
          onClick=${() => void act.run(() => api('DELETE', 'sim/faults')).then(faults.reload)}
        >
          Clear all faults
        </button>`
    }
  <//>`;
}
