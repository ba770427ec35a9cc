// Summarises a V8 .cpuprofile: self time per function, time per category, inclusive time of the
// service's own functions.
import path from 'node:path';
import { ROOT } from './procs.mjs';

const SERVICE_DIST = `file://${ROOT}dist/`;
const isService = (url) => url.startsWith(SERVICE_DIST);

function category(frame, parentCategory) {
  const { functionName: fn, url } = frame;
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(idle)') return 'idle';
  if (fn === '(program)') return 'V8/native (unattributed)';
  if (fn === '(root)') return 'root';
  if (url === '') {
    // A native function is charged to what called it: better-sqlite3's Statement.run/all/get (called
    // by Kysely's driver) is SQLite itself, fsync included.
    const caller = parentCategory?.replace(/ \(native\)$/, '');
    if (caller === 'kysely' || caller === 'sqlite (better-sqlite3)')
      return 'SQLite native (statements, commits, fsync)';
    return caller ? `${caller} (native)` : 'native';
  }
  if (
    /node_modules\/(pino|sonic-boom|fast-redact|pino-std-serializers|thread-stream|quick-format-unescaped|fast-safe-stringify|on-exit-leak-free|safe-stable-stringify)\//.test(
      url,
    )
  )
    return 'logging (pino)';
  if (url.includes('node_modules/kysely/')) return 'kysely';
  if (url.includes('node_modules/better-sqlite3/')) return 'sqlite (better-sqlite3)';
  if (url.includes('node_modules/libphonenumber-js/')) return 'libphonenumber';
  if (url.includes('node_modules/')) return `node_modules/${url.split('node_modules/')[1].split('/')[0]}`;
  if (isService(url)) return `service: ${url.split('/dist/')[1].split('/')[0].replace(/\.js$/, '')}`;
  if (/^node:(internal\/)?crypto/.test(url)) return 'crypto';
  if (/^node:(_http|http|net|internal\/http|internal\/net|internal\/stream_base)/.test(url))
    return 'http/net';
  if (/^node:(internal\/)?(streams?|events|internal\/streams)/.test(url)) return 'streams/events';
  if (/^node:internal\/(process\/task_queues|timers|async_hooks)|^node:timers/.test(url))
    return 'event loop/promises';
  if (url.startsWith('node:')) return 'node internals';
  return 'other';
}

function where(frame) {
  if (!frame.url) return '';
  let url = frame.url.replace(/^file:\/\//, '');
  if (url.startsWith(ROOT)) url = path.relative(ROOT, url);
  return `${url}:${frame.lineNumber + 1}`;
}

export function summarize(profile, top = 25) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const catOf = new Map();
  const catFor = (id) => {
    if (catOf.has(id)) return catOf.get(id);
    const p = parent.get(id);
    const c = category(byId.get(id).callFrame, p === undefined ? undefined : catFor(p));
    catOf.set(id, c);
    return c;
  };
  const selfMs = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  let total = 0;
  let idle = 0;
  const fnSelf = new Map();
  const cats = new Map();
  const inclusive = new Map();
  const catInclusive = new Map();
  for (const [id, ms] of selfMs) {
    const node = byId.get(id);
    const cat = catFor(id);
    total += ms;
    if (cat === 'idle') idle += ms;
    const key = `${node.callFrame.functionName || '(anonymous)'}\t${where(node.callFrame)}\t${cat}`;
    fnSelf.set(key, (fnSelf.get(key) ?? 0) + ms);
    cats.set(cat, (cats.get(cat) ?? 0) + ms);
    // Inclusive time of the service's functions: each sample counts once per distinct function on its stack.
    const seenCats = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const c = catFor(cur);
      if (c === 'root' || c === 'idle' || c.startsWith('event loop') || seenCats.has(c)) continue;
      seenCats.add(c);
      catInclusive.set(c, (catInclusive.get(c) ?? 0) + ms);
    }
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur).callFrame;
      if (!isService(f.url)) continue;
      const k = `${f.functionName || '(anonymous)'}\t${where(f)}`;
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + ms);
    }
  }
  const busy = total - idle;
  const pct = (ms) => Math.round((1000 * ms) / busy) / 10;
  return {
    wallMs: Math.round(total),
    busyMs: Math.round(busy),
    busyPct: Math.round((1000 * busy) / total) / 10,
    note: 'percentages are of busy (non-idle) time',
    categories: [...cats]
      .filter(([c]) => c !== 'idle')
      .sort((a, b) => b[1] - a[1])
      .map(([name, ms]) => ({ name, ms: Math.round(ms), pct: pct(ms) })),
    // Time with at least one frame of the category on the stack (callees included).
    categoriesInclusive: [...catInclusive]
      .sort((a, b) => b[1] - a[1])
      .map(([name, ms]) => ({ name, ms: Math.round(ms), pct: pct(ms) })),
    selfTop: [...fnSelf]
      .filter(([k]) => !k.endsWith('\tidle'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, ms]) => {
        const [fn, at, cat] = k.split('\t');
        return { fn, at, category: cat, ms: Math.round(ms), pct: pct(ms) };
      }),
    serviceInclusiveTop: [...inclusive]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, ms]) => {
        const [fn, at] = k.split('\t');
        return { fn, at, ms: Math.round(ms), pct: pct(ms) };
      }),
  };
}
