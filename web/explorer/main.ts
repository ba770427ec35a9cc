import { render } from 'preact';
import { html } from '../shared/html.js';
import { App } from './app.js';

// The "Try it now" explorer (src/web/explorer/explorer-route.ts serves its page and catalogue).
render(html`<${App} />`, document.getElementById('app')!);
