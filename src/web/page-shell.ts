import type { ServerResponse } from 'node:http';
import type { WebAssets } from './assets.js';

/**
 * No script but our own files, no inline script or style, nothing from another origin, no framing.
 * The boot data travels as a JSON script block, which the policy allows because it is never executed.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

/** The headers of every page and asset of the web route. */
export function securityHeaders(): Record<string, string> {
  return {
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
  };
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for HTML content or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** JSON that cannot end its script block: `<`, `>`, `&` and the line separators become escapes. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value ?? null).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export interface PageOptions {
  readonly title: string;
  /** The manifest entry of the page's script (`explorer`, `console`); none for a page without one. */
  readonly entry?: string;
  /** Data for the page's script (web/shared/boot.ts); never a secret. */
  readonly boot?: unknown;
  /** Server-rendered content (already escaped) for pages without a script. */
  readonly body?: string;
}

/** Links in the header of every page. */
const NAV = [
  ['/', 'Home'],
  ['/explorer', 'Explorer'],
  ['/console', 'Console'],
] as const;

export function pageShell(assets: WebAssets, options: PageOptions): string {
  const style = assets.manifest?.['style.css'];
  const script = options.entry === undefined ? undefined : assets.manifest?.[`${options.entry}.js`];
  const nav = NAV.map(([href, label]) => `<a href="${href}">${label}</a>`).join(' ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(options.title)} · cams-server</title>
${style === undefined ? '' : `<link rel="stylesheet" href="/assets/${escapeHtml(style)}">`}
${script === undefined ? '' : `<script type="module" src="/assets/${escapeHtml(script)}"></script>`}
</head>
<body>
<header class="top"><a class="brand" href="/">cams-server</a><nav aria-label="Pages">${nav}</nav></header>
${options.boot === undefined ? '' : `<script type="application/json" id="boot">${jsonForScript(options.boot)}</script>`}
<div id="app">${options.body ?? ''}</div>
</body>
</html>
`;
}

/** Sends a page: HTML, never cached (it names the current hashed assets), with the security headers. */
export function sendPage(res: ServerResponse, html: string, status = 200): void {
  res.writeHead(status, {
    ...securityHeaders(),
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(html),
  });
  res.end(res.req.method === 'HEAD' ? undefined : html);
}
