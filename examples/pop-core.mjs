// The same first call with @alicloud/pop-core (signature V1, HMAC-SHA1; GET unless the call says POST).
//   npx cams serve                  (another terminal)
//   node pop-core.mjs               (npm i @alicloud/pop-core)
// CAMS_DEMO_CREDENTIALS (default data/demo-credentials.json), CAMS_ENDPOINT (default 127.0.0.1:8080).
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import RPCClient from '@alicloud/pop-core';

const demo = JSON.parse(
  readFileSync(process.env.CAMS_DEMO_CREDENTIALS ?? 'data/demo-credentials.json', 'utf8'),
);
const client = new RPCClient({
  accessKeyId: demo.accessKeyId,
  accessKeySecret: demo.accessKeySecret,
  endpoint: `http://${process.env.CAMS_ENDPOINT ?? '127.0.0.1:8080'}`, // with the scheme here
  apiVersion: '2020-06-06',
});

const phoneNumber = `139${String(randomInt(1e8)).padStart(8, '0')}`;
const added = await client.request(
  'AddChatappPhoneNumber',
  { CustSpaceId: demo.custSpaceId, Cc: '86', PhoneNumber: phoneNumber, VerifiedName: 'Alibaba Cloud' },
  { method: 'POST' }, // or omit for GET
);
console.log(`AddChatappPhoneNumber: Code=${added.Code} RequestId=${added.RequestId}`);

// The answer lists at most MaxResults numbers (25 unless asked, up to 100) in PhoneNumber order, and
// NextToken while more follow: pop-core sends any parameter, so it can page through a large space.
let mine;
let nextToken;
do {
  const page = await client.request('QueryChatappPhoneNumbers', {
    CustSpaceId: demo.custSpaceId,
    MaxResults: 100,
    ...(nextToken === undefined ? {} : { NextToken: nextToken }),
  });
  mine = page.PhoneNumbers.find((n) => n.PhoneNumber === `86${phoneNumber}`);
  nextToken = page.NextToken;
} while (mine === undefined && nextToken !== undefined);
console.log(`86${phoneNumber}: Status=${mine.Status}`);
