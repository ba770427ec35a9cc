import { render } from 'preact';
import { html } from '../shared/html.js';

// The explorer page; its app is built in web/explorer/.
render(
  html`<main>
    <h1>explorer</h1>
    <p aria-busy="true">Loading…</p>
  </main>`,
  document.getElementById('app')!,
);
