import { useEffect, useState } from 'preact/hooks';

/** The console's pages live in the URL's fragment (#/numbers?account=...&space=...): links and reloads keep them. */
export interface Route {
  readonly page: string;
  readonly params: URLSearchParams;
}

function current(): Route {
  const hash = location.hash.replace(/^#\/?/, '');
  const [page = '', query = ''] = hash.split('?');
  return { page: page === '' ? 'accounts' : page, params: new URLSearchParams(query) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const changed = () => setRoute(current());
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
}

export function href(page: string, params: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return `#/${page}${s === '' ? '' : `?${s}`}`;
}

/** Changes the page's parameters (filters, the chosen account) without a new history entry per keystroke. */
export function setParams(page: string, params: Record<string, string | undefined>): void {
  history.replaceState(null, '', href(page, params));
  dispatchEvent(new HashChangeEvent('hashchange'));
}
