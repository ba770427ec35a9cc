import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PORT_LIMITS } from '../config.js';
import type { Route } from '../http/route.js';
import { PIPELINE_PAUSE_AT } from './pipeline-brake.js';
import { serveRoutes } from './server.js';

let server: Server | undefined;
afterEach(async () => {
  if (server === undefined) return;
  const s = server;
  server = undefined;
  await new Promise<void>((resolve) => {
    s.close(() => resolve());
    s.closeAllConnections();
  });
});

describe('PipelineBrake', () => {
  it('reads a pipelining connection no further than one read past its waiting requests', async () => {
    let started = 0;
    // A route that never answers: the connection's first request holds its source's only slot.
    const hold: Route = {
      name: 'hold',
      matches: () => true,
      handle: () => new Promise(() => void started++),
    };
    server = serveRoutes([hold], pino({ level: 'silent' }), {
      limits: {
        ...DEFAULT_PORT_LIMITS,
        maxInFlight: 0,
        maxInFlightPerSource: 1,
        maxQueuedPerSource: 100_000,
      },
      trustProxy: false,
    });
    let parsed = 0;
    server.on('request', () => void parsed++);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    socket.on('error', () => undefined);
    // 20,000 requests (~540 KB) at once. Without the brake Node parses every one of them (nothing is
    // answered, so Node's own pause for unwritten answers never comes); with it, reading stops once
    // PIPELINE_PAUSE_AT wait, after the rest of the read in hand (64 KiB: ~2,400 of these requests).
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(20_000));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(started).toBe(1);
    expect(parsed).toBeGreaterThanOrEqual(PIPELINE_PAUSE_AT);
    expect(parsed).toBeLessThan(5000);
    socket.destroy();
  });
});
