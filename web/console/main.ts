import { render } from 'preact';
import { html } from '../shared/html.js';

// The console page; its app is built in web/console/.
render(
  html`<main>
    <h1>console</h1>
    <p aria-busy="true">Loading…</p>
  </main>`,
  document.getElementById('app')!,
);
