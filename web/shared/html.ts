import { h } from 'preact';
import htm from 'htm';

/**
 * Tagged templates for Preact (htm): components are written as html`<p>${text}</p>`, with no JSX step.
 * Every interpolated value is rendered as text: the pages never set innerHTML, so data a user stored
 * (a display name such as `<img src=x onerror=...>`) shows as what it is.
 */
export const html = htm.bind(h);
