import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Route } from '../http/route.js';
import { contentType, type WebAssets } from './assets.js';
import { escapeHtml, pageShell, securityHeaders, sendPage } from './page-shell.js';

export const ASSETS_PREFIX = '/assets/';
const DOCS_PREFIX = '/docs/';
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** A hashed asset name as scripts/build-web.mjs writes it, nothing else (no path, no dot-dot). */
const ASSET_NAME = /^[A-Za-z0-9_-]+-[A-Z0-9]{8}\.(js|css|png|svg)(\.map)?$/;
const DOC_NAME = /^[a-z0-9-]+\.md$/i;

/**
 * A browser asking for the home page: GET or HEAD of `/` that accepts HTML and carries nothing of the
 * CAMS protocol. SDK traffic — `POST /` (V3), `GET /?Action=...` (V1), anything signed — never matches,
 * so the gateway still answers it exactly as before.
 */
export function isBrowserHome(path: string, req: IncomingMessage): boolean {
  if (path !== '/' || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
  if (!(req.headers.accept ?? '').includes('text/html')) return false;
  if (req.headers.authorization !== undefined || req.headers['x-acs-action'] !== undefined) return false;
  return !new URLSearchParams((req.url ?? '').split('?')[1] ?? '').has('Action');
}

function notFound(res: ServerResponse): void {
  res
    .writeHead(404, { ...securityHeaders(), 'content-type': 'text/plain; charset=utf-8' })
    .end('Not found\n');
}

/** The documents a browser can read from the home page: the README and docs/*.md of the package. */
function listDocs(root: string): string[] {
  const dir = path.join(root, 'docs');
  const docs = existsSync(dir) ? readdirSync(dir).filter((name) => DOC_NAME.test(name)) : [];
  return existsSync(path.join(root, 'README.md')) ? ['README.md', ...docs.sort()] : docs.sort();
}

function docFile(root: string, name: string): string | undefined {
  if (!DOC_NAME.test(name)) return undefined;
  const file = name === 'README.md' ? path.join(root, 'README.md') : path.join(root, 'docs', name);
  return existsSync(file) && statSync(file).isFile() ? file : undefined;
}

function homePage(assets: WebAssets): string {
  const docs = listDocs(assets.root)
    .map((name) => `<li><a href="${DOCS_PREFIX}${escapeHtml(name)}">${escapeHtml(name)}</a></li>`)
    .join('\n');
  const body = `<main>
<h1>cams-server</h1>
<p>A self-hosted, wire-compatible Alibaba Cloud Chat App Message Service (CAMS) for WhatsApp Business
phone numbers. The official SDKs talk to this address; a browser can use the pages below.</p>
<ul class="cards">
<li><h2><a href="/explorer">Explorer</a></h2><p>Try every action: fill a form, sign with your AccessKey in
the browser, see the answer, its RequestId and the SDK code that makes the same call.</p></li>
<li><h2><a href="/console">Console</a></h2><p>For the operator (sign in with the operator token):
accounts, RAM users and keys, customer spaces, phone numbers and their review, the simulator's
outbox and clock, webhooks and the audit trail.</p></li>
<li><h2>Documentation</h2><ul>${docs}</ul></li>
</ul>
</main>`;
  return pageShell(assets, { title: 'Home', body });
}

function sendFile(res: ServerResponse, file: string, type: string, cacheControl: string): void {
  res.writeHead(200, {
    ...securityHeaders(),
    'content-type': type,
    'cache-control': cacheControl,
    'content-length': statSync(file).size,
  });
  if (res.req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}

/**
 * The browser's way in (docs/architecture.md, "The web pages"): the home page, the built scripts and
 * styles under /assets/ (content-hashed, so cached forever) and the documentation as plain text.
 */
export function webRoute(assets: WebAssets): Route {
  // The package's files do not change while it runs: the home page is rendered once.
  const home = homePage(assets);
  return {
    name: 'web',
    matches: (p, req) =>
      p.startsWith(ASSETS_PREFIX) ||
      p.startsWith(DOCS_PREFIX) ||
      (req !== undefined && isBrowserHome(p, req)),
    handle: async (req, res) => {
      const p = (req.url ?? '/').split('?')[0]!;
      if (req.method !== 'GET' && req.method !== 'HEAD') return notFound(res);
      if (p === '/') return sendPage(res, home);
      if (p.startsWith(DOCS_PREFIX)) {
        const file = docFile(assets.root, p.slice(DOCS_PREFIX.length));
        if (file === undefined) return notFound(res);
        return sendFile(res, file, 'text/plain; charset=utf-8', 'no-cache');
      }
      const name = p.slice(ASSETS_PREFIX.length);
      const type = contentType(name.endsWith('.map') ? '.map' : name);
      const file = path.join(assets.dir, name);
      if (!ASSET_NAME.test(name) || type === undefined || !existsSync(file)) return notFound(res);
      sendFile(res, file, type, IMMUTABLE);
    },
  };
}
