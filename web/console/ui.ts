import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { html } from '../shared/html.js';
import { ApiError } from './api.js';

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: ApiError | undefined;
  readonly loading: boolean;
  reload(): void;
}

/** Loads `load()` now and whenever `deps` change; `reload` loads again. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState({ error: asApiError(error), loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

export function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, 'Error', String(error));
}

/** A write in progress or its failure, for a form or a button. */
export function useAction(): {
  busy: boolean;
  error: ApiError | undefined;
  run: (work: () => Promise<unknown>) => Promise<boolean>;
  clear: () => void;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const run = useCallback(async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
      return true;
    } catch (e) {
      setError(asApiError(e));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, clear: () => setError(undefined) };
}

export function ErrorBox({ error }: { error: ApiError | undefined }) {
  if (error === undefined) return null;
  return html`<div role="alert" class="error-box">
    <strong>${error.code}</strong>
    <span class="message">${error.message}</span>
  </div>`;
}

/** What a list shows while it loads, when it failed, and when it is empty. */
export function Status<T>({ loaded, empty }: { loaded: Loaded<T>; empty?: boolean }) {
  if (loaded.error !== undefined) return html`<${ErrorBox} error=${loaded.error} />`;
  if (loaded.loading && loaded.data === undefined)
    return html`<p aria-busy="true" role="status">Loading…</p>`;
  if (empty === true) return html`<p class="muted">Nothing here yet.</p>`;
  return null;
}

export function Section({ title, children }: { title: string; children: ComponentChildren }) {
  return html`<section class="panel">
    <h2>${title}</h2>
    ${children}
  </section>`;
}

let fieldIds = 0;
/** A labelled input: the label names it for screen readers and clicks. */
export function Field({
  label,
  value,
  onInput,
  type = 'text',
  placeholder,
  required,
  name,
}: {
  label: string;
  value: string;
  onInput: (value: string) => void;
  type?: string;
  placeholder?: string;
  required?: boolean;
  name?: string;
}) {
  const [id] = useState(() => `f${++fieldIds}`);
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <input
      id=${id}
      name=${name ?? id}
      type=${type}
      value=${value}
      placeholder=${placeholder ?? ''}
      required=${required === true}
      onInput=${(e: Event) => onInput((e.target as HTMLInputElement).value)}
    />
  </div>`;
}

export function Select({
  label,
  value,
  options,
  onChange,
  name,
}: {
  label: string;
  value: string;
  options: ReadonlyArray<readonly [string, string]>;
  onChange: (value: string) => void;
  name?: string;
}) {
  const [id] = useState(() => `f${++fieldIds}`);
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <select
      id=${id}
      name=${name ?? id}
      value=${value}
      onChange=${(e: Event) => onChange((e.target as HTMLSelectElement).value)}
    >
      ${options.map(([v, text]) => html`<option value=${v} selected=${v === value}>${text}</option>`)}
    </select>
  </div>`;
}

/** A form whose submit runs `onSubmit` (Enter in any field submits it). */
export function Form({
  label,
  onSubmit,
  busy,
  submit,
  children,
}: {
  label: string;
  onSubmit: () => void;
  busy: boolean;
  submit: string;
  children: ComponentChildren;
}) {
  return html`<form
    class="inline-form"
    aria-label=${label}
    onSubmit=${(e: Event) => {
      e.preventDefault();
      onSubmit();
    }}
  >
    ${children}
    <div class="field"><button type="submit" disabled=${busy}>${busy ? 'Working…' : submit}</button></div>
  </form>`;
}

export const when = (iso: string | null | undefined): string =>
  iso === null || iso === undefined || iso === '' ? '' : iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
