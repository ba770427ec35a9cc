import type { ServerResponse } from 'node:http';
import type { Product } from '../../actions/products.js';
import type { Route } from '../../http/route.js';
import type { WebAssets } from '../assets.js';
import { pageShell, securityHeaders, sendPage } from '../page-shell.js';
import { actionCatalogue } from './action-catalogue.js';
import { demoKeyFor, type ExplorerDemo } from './demo-key.js';

export interface ExplorerOptions {
  readonly assets: WebAssets;
  /** Every product on the port, listed in this order (src/actions/products.ts `PRODUCTS`). */
  readonly products: Iterable<Product>;
  /** Present only when the demo key may be offered at all (demo-key.ts `demoMayBeShown`). */
  readonly demo?: ExplorerDemo;
}

function sendJson(res: ServerResponse, status: number, value: unknown, cache: string): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    ...securityHeaders(),
    'content-type': 'application/json; charset=utf-8',
    'cache-control': cache,
    'content-length': Buffer.byteLength(body),
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/**
 * The "Try it now" explorer (architecture.md, "The web pages"): the page at /explorer, the public
 * catalogue of actions at /explorer/api/actions, and the demo key at /explorer/api/demo-key for a
 * browser on the machine itself (demo-key.ts; 204 No Content for anyone else). The browser signs its calls itself and sends them to
 * the gateway like any SDK; nothing here acts on an account.
 */
export function explorerRoute(options: ExplorerOptions): Route {
  const catalogue = actionCatalogue(options.products);
  return {
    name: 'explorer',
    matches: (p) => p === '/explorer' || p === '/explorer/' || p.startsWith('/explorer/api/'),
    handle: async (req, res) => {
      const p = (req.url ?? '/').split('?')[0]!;
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return sendJson(res, 405, { Code: 'MethodNotAllowed' }, 'no-store');
      }
      if (p === '/explorer' || p === '/explorer/') {
        return sendPage(res, pageShell(options.assets, { title: 'Explorer', entry: 'explorer' }));
      }
      if (p === '/explorer/api/actions') return sendJson(res, 200, catalogue, 'no-cache');
      if (p === '/explorer/api/demo-key') {
        const key = await demoKeyFor(options.demo, req);
        // 204, not 404: no key is the ordinary case, and a browser logs every 4xx as an error.
        if (key === undefined) {
          res.writeHead(204, { ...securityHeaders(), 'cache-control': 'no-store' }).end();
          return;
        }
        return sendJson(res, 200, key, 'no-store');
      }
      sendJson(res, 404, { Code: 'NotFound' }, 'no-store');
    },
  };
}
