import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { createApp, listen, startBackground } from '../main.js';
import {
  bootstrapDemo,
  DEMO_FILE,
  demoOperatorToken,
  sdkSnippet,
  type DemoCredentials,
} from './bootstrap.js';
import type { CliIo } from './io.js';

/** `cams serve`: open the store, create the demo on first start, listen, stop cleanly on a signal. */
export async function serve(given: Config, io: CliIo): Promise<void> {
  const operator = demoOperatorToken(given);
  const config = operator === undefined ? given : { ...given, operatorToken: operator.token };
  const app = await createApp(config, { groupCommit: true, metrics: true });
  if (operator !== undefined)
    app.log.info(
      { file: operator.file },
      'demo on loopback: the operator token (console, /_admin/) is in this file',
    );
  const demo = await bootstrapDemo(app);
  const file = `${config.dataDir}/${DEMO_FILE}`;
  // The log stream stays JSON: the new credentials (without the secret) as a log line; the banner with
  // the secret only on a terminal, once. The secret is always in the owner-only credentials file.
  if (demo !== undefined) {
    app.log.info(
      { accountId: demo.accountId, accessKeyId: demo.accessKeyId, custSpaceId: demo.custSpaceId, file },
      'first start: created a demo account; its AccessKeySecret is in the credentials file',
    );
  }
  const { server, port } = await listen(app);
  const stopBackground = startBackground(app);
  const endpoint = `${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  app.log.info({ endpoint, dataDir: config.dataDir }, 'CAMS gateway listening');
  if (demo !== undefined && io.interactive === true) io.out(demoBanner(demo, file, endpoint, operator?.file));
  await drainOnSignal(server, app.log, config.shutdownTimeoutMs);
  await stopBackground();
  await app.close();
  app.log.info('stopped');
}

/**
 * Resolves once the server has drained after SIGTERM or SIGINT: it stops accepting at once, lets the
 * requests in flight finish (each answers only after its writes are durable), closes keep-alive
 * connections as soon as they are idle, and after `deadlineMs` closes whatever is still open. A second
 * signal closes everything at once.
 */
function drainOnSignal(server: Server, log: Logger, deadlineMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    let draining = false;
    const stop = (signal: NodeJS.Signals) => {
      if (draining) {
        log.warn({ signal }, 'second signal: closing every connection now');
        server.closeAllConnections();
        return;
      }
      draining = true;
      log.info({ signal, deadlineMs }, 'shutting down: finishing the requests in flight');
      const idle = setInterval(() => server.closeIdleConnections(), 25);
      const deadline = setTimeout(() => {
        log.warn({ deadlineMs }, 'shutdown deadline passed: closing the connections still open');
        server.closeAllConnections();
      }, deadlineMs);
      server.close(() => {
        clearInterval(idle);
        clearTimeout(deadline);
        resolve();
      });
      server.closeIdleConnections();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function demoBanner(demo: DemoCredentials, file: string, endpoint: string, operatorFile?: string): string {
  return (
    [
      '',
      `First start: created a demo account. Credentials are also in ${file} (mode 0600).`,
      `  AccountId:       ${demo.accountId}`,
      `  AccessKeyId:     ${demo.accessKeyId}`,
      `  AccessKeySecret: ${demo.accessKeySecret}`,
      `  CustSpaceId:     ${demo.custSpaceId}`,
      '',
      'Try it with the official SDK (npm install @alicloud/cams20200606 @alicloud/openapi-client):',
      '',
      sdkSnippet(demo, endpoint),
      '',
      `Or open http://${endpoint}/ in a browser: the explorer signs calls with the key above` +
        (operatorFile === undefined ? '.' : `; the console's operator token is in ${operatorFile}.`),
      '',
    ].join('\n') + '\n'
  );
}
