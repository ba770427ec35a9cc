import { render } from 'preact';
import { html } from '../shared/html.js';
import { App } from './app.js';

// The operator's console (README, "The console"): every value from the server is rendered as text.
render(html`<${App} />`, document.getElementById('app')!);
