// What the reference servers (bare-server.mjs, durable-server.mjs) share: the answer, listening on
// argv's port (printing {"port":N}), and with an IPC channel answering {type:'stats'} like
// bench/serve-entry.mjs and stopping on {type:'shutdown'}.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

const BODY = JSON.stringify({
  RequestId: '4C4C3E1D-6C8B-4A5E-9C7E-2B1A0F3D5E6F',
  Code: 'OK',
  Message: 'OK',
  Success: true,
});
const HEADERS = {
  'content-type': 'application/json;charset=utf-8',
  'content-length': Buffer.byteLength(BODY),
};

/** The reference answer: 200 with a small constant JSON body. */
export function answer(res) {
  res.writeHead(200, HEADERS);
  res.end(BODY);
}

/** Listens on 127.0.0.1 at argv[2] (0 = any port), prints {"port":N}, and serves stats over IPC. */
export function listen(server, onShutdown) {
  server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
  });
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.once(signal, () => {
      onShutdown?.();
      process.exit(0);
    });
  }
  serveStats(server, onShutdown);
}

function serveStats(server, onShutdown = () => {}) {
  if (!process.send) return;
  // As in serve-entry.mjs: the delay is what exceeds the 10 ms timer interval.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  const delay = (ns) => (loopDelay.count === 0 ? 0 : Math.max(0, ns / 1e6 - 10));
  loopDelay.enable();
  let elu = performance.eventLoopUtilization();
  process.on('message', (msg) => {
    if (msg.type === 'stats') {
      const mem = process.memoryUsage();
      process.send({
        type: 'stats',
        rss: mem.rss,
        heapUsed: mem.heapUsed,
        eventLoopUtilization: performance.eventLoopUtilization(elu).utilization,
        loopDelayMs: {
          mean: delay(loopDelay.mean),
          p50: delay(loopDelay.percentile(50)),
          p99: delay(loopDelay.percentile(99)),
          max: delay(loopDelay.max),
        },
      });
      if (msg.reset) {
        loopDelay.reset();
        elu = performance.eventLoopUtilization();
      }
    } else if (msg.type === 'shutdown') {
      server.close();
      server.closeAllConnections();
      onShutdown();
      process.exit(0);
    }
  });
  process.on('disconnect', () => {
    onShutdown();
    process.exit(0);
  });
}
