// The baseline: a bare node:http server in its own process, answering every request (after reading
// its body) with a small constant JSON body. Port from argv[2] (0 = any); prints {"port":N} when
// listening. With an IPC channel it answers {type:'stats'} like bench/serve-entry.mjs.
import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const BODY = JSON.stringify({
  RequestId: '4C4C3E1D-6C8B-4A5E-9C7E-2B1A0F3D5E6F',
  Code: 'OK',
  Message: 'OK',
  Success: true,
});
const server = createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(200, {
      'content-type': 'application/json;charset=utf-8',
      'content-length': Buffer.byteLength(BODY),
    });
    res.end(BODY);
  });
});
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});

if (process.send) {
  // As in serve-entry.mjs: the delay is what exceeds the 10 ms timer interval.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  const delay = (ns) => (loopDelay.count === 0 ? 0 : Math.max(0, ns / 1e6 - 10));
  loopDelay.enable();
  process.on('message', (msg) => {
    if (msg.type === 'stats') {
      const mem = process.memoryUsage();
      process.send({
        type: 'stats',
        rss: mem.rss,
        heapUsed: mem.heapUsed,
        loopDelayMs: {
          mean: delay(loopDelay.mean),
          p50: delay(loopDelay.percentile(50)),
          p99: delay(loopDelay.percentile(99)),
          max: delay(loopDelay.max),
        },
      });
      if (msg.reset) loopDelay.reset();
    } else if (msg.type === 'shutdown') {
      server.close();
      server.closeAllConnections();
      process.exit(0);
    }
  });
  process.on('disconnect', () => process.exit(0));
}
