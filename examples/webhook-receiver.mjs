// A webhook receiver that verifies signatures: it listens on 127.0.0.1, registers itself as a fresh
// number's StatusCallbackUrl (UpdatePhoneWebhook; UpdateAccountWebhook sets one for the whole space),
// waits for the display-name review to change the number, prints the verified event and exits 0
// (1 when no verified event arrives within 30 s).
//   CAMS_WEBHOOK_ALLOW_LOOPBACK=true npx cams serve          (another terminal; callback URLs on
//                                                            loopback are refused without it)
//   CAMS_WEBHOOK_SECRET=$(npx cams webhook secret --account <AccountId> --json | node -p 'JSON.parse(require("fs").readFileSync(0)).secret') \
//     node webhook-receiver.mjs
// CAMS_DEMO_CREDENTIALS (default data/demo-credentials.json), CAMS_ENDPOINT (default 127.0.0.1:8080).
//
// The signature: X-Cams-Timestamp is Unix seconds; X-Cams-Signature is `v1=` + the lowercase hex
// HMAC-SHA256, keyed with the account's signing secret (UTF-8), of `<X-Cams-Timestamp>.<raw body>`.
// Several comma-separated `v1=` entries may come (key rollover): accept when any matches. Compare in
// constant time over the raw bytes (before JSON parsing) and refuse timestamps more than 5 minutes off.
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import Cams, * as $Cams from '@alicloud/cams20200606';
import * as $OpenApi from '@alicloud/openapi-client';

const demo = JSON.parse(
  readFileSync(process.env.CAMS_DEMO_CREDENTIALS ?? 'data/demo-credentials.json', 'utf8'),
);
const secret = process.env.CAMS_WEBHOOK_SECRET;
if (!secret) throw new Error('set CAMS_WEBHOOK_SECRET: npx cams webhook secret --account <AccountId>');
const client = new Cams.default(
  new $OpenApi.Config({
    accessKeyId: demo.accessKeyId,
    accessKeySecret: demo.accessKeySecret,
    endpoint: process.env.CAMS_ENDPOINT ?? '127.0.0.1:8080',
    protocol: 'http',
  }),
);

function verified(headers, rawBody) {
  const timestamp = headers['x-cams-timestamp'] ?? '';
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
  let matched = false;
  for (const entry of (headers['x-cams-signature'] ?? '').split(',')) {
    const hex = /^v1=([0-9a-f]{64})$/i.exec(entry.trim())?.[1];
    if (hex !== undefined && timingSafeEqual(expected, Buffer.from(hex, 'hex'))) matched = true;
  }
  return matched;
}

let received;
const event = new Promise((resolve) => (received = resolve));
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    if (!verified(req.headers, raw)) {
      console.log('refused a delivery with a bad signature');
      res.writeHead(401).end();
      return;
    }
    res.writeHead(204).end(); // any 2xx: delivered (deliveries are at least once: de-duplicate on EventId)
    received(JSON.parse(raw.toString('utf8')));
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/cams-events`;

const national = `139${String(randomInt(1e8)).padStart(8, '0')}`;
const phoneNumber = `86${national}`;
await client.addChatappPhoneNumber(
  new $Cams.AddChatappPhoneNumberRequest({
    custSpaceId: demo.custSpaceId,
    cc: '86',
    phoneNumber: national,
    verifiedName: 'Alibaba Cloud',
  }),
);
await client.updatePhoneWebhook(
  new $Cams.UpdatePhoneWebhookRequest({
    custSpaceId: demo.custSpaceId,
    phoneNumber,
    statusCallbackUrl: url,
    httpFlag: 'Y',
  }),
);
console.log(`listening on ${url} for ${phoneNumber}`);

// The simulator decides the display name 5 s after the add; reading the number's status from upstream
// (the background reconciler does it too, every CAMS_SYNC_INTERVAL_MS) records the change and sends the event.
const timeout = new Promise((resolve) => setTimeout(resolve, 30_000, undefined));
const poll = setInterval(() => {
  client
    .getPhoneNumberVerificationStatus(
      new $Cams.GetPhoneNumberVerificationStatusRequest({ custSpaceId: demo.custSpaceId, phoneNumber }),
    )
    .catch((e) => console.error(`GetPhoneNumberVerificationStatus: ${e.code ?? e.message}`));
}, 2000);
const got = await Promise.race([event, timeout]);
clearInterval(poll);
server.close();
if (got === undefined) {
  console.error('no verified event within 30 s');
  process.exit(1);
}
console.log(`verified event ${got.EventId}: ${got.EventType} ${JSON.stringify(got.Data)}`);
process.exit(0);
