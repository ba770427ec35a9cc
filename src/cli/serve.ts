import type { Config } from '../config.js';
import { createApp, listen, startBackground } from '../main.js';
import { bootstrapDemo, DEMO_FILE, sdkSnippet } from './bootstrap.js';
import type { CliIo } from './io.js';

/** `cams serve`: open the store, create the demo on first start, listen, stop cleanly on a signal. */
export async function serve(config: Config, io: CliIo): Promise<void> {
  const app = await createApp(config, { groupCommit: true });
  const demo = await bootstrapDemo(app);
  const { server, port } = await listen(app);
  const stopBackground = startBackground(app);
  const endpoint = `${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  app.log.info({ endpoint, dataDir: config.dataDir }, 'CAMS gateway listening');
  if (demo !== undefined) {
    io.out(
      [
        '',
        `First start: created a demo account. Credentials are also in ${config.dataDir}/${DEMO_FILE} (mode 0600).`,
        `  AccountId:       ${demo.accountId}`,
        `  AccessKeyId:     ${demo.accessKeyId}`,
        `  AccessKeySecret: ${demo.accessKeySecret}`,
        `  CustSpaceId:     ${demo.custSpaceId}`,
        '',
        'Try it with the official SDK (npm install @alicloud/cams20200606 @alicloud/openapi-client):',
        '',
        sdkSnippet(demo, endpoint),
        '',
      ].join('\n') + '\n',
    );
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      app.log.info('shutting down');
      server.close(() => resolve());
      server.closeAllConnections();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await stopBackground();
  await app.close();
}
