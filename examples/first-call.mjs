// The first SDK call: add a number to the demo space, then list the space's numbers.
//   npx cams serve                  (another terminal; the first start writes data/demo-credentials.json)
//   node first-call.mjs             (npm i @alicloud/cams20200606 @alicloud/openapi-client)
// CAMS_DEMO_CREDENTIALS: the credentials file (default data/demo-credentials.json);
// CAMS_ENDPOINT: host:port of the server (default 127.0.0.1:8080, what `npx cams serve` listens on).
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Cams, * as $Cams from '@alicloud/cams20200606';
import * as $OpenApi from '@alicloud/openapi-client';

const demo = JSON.parse(
  readFileSync(process.env.CAMS_DEMO_CREDENTIALS ?? 'data/demo-credentials.json', 'utf8'),
);
const client = new Cams.default(
  new $OpenApi.Config({
    accessKeyId: demo.accessKeyId,
    accessKeySecret: demo.accessKeySecret,
    endpoint: process.env.CAMS_ENDPOINT ?? '127.0.0.1:8080', // host:port, no scheme
    protocol: 'http',
    // signatureAlgorithm: 'v2',   // signature V1 (HMAC-SHA1) instead of the default V3
  }),
);

// A fresh Chinese mobile number on every run (a number can be added to a space only once).
const phoneNumber = `139${String(randomInt(1e8)).padStart(8, '0')}`;
const added = await client.addChatappPhoneNumber(
  new $Cams.AddChatappPhoneNumberRequest({
    custSpaceId: demo.custSpaceId,
    cc: '86',
    phoneNumber, // without the country code
    verifiedName: 'Alibaba Cloud',
  }),
);
console.log(`AddChatappPhoneNumber: Code=${added.body.code} RequestId=${added.body.requestId}`);

const { body } = await client.queryChatappPhoneNumbers(
  new $Cams.QueryChatappPhoneNumbersRequest({ custSpaceId: demo.custSpaceId }),
);
console.log(`QueryChatappPhoneNumbers: Code=${body.code} RequestId=${body.requestId}`);
// The answer lists a page of 25 numbers in PhoneNumber order; the typed method cannot ask for the next
// page (pop-core.mjs shows how, with NextToken), so a space used many times may hold ours further on.
const mine = body.phoneNumbers.find((n) => n.phoneNumber === `86${phoneNumber}`);
if (mine === undefined)
  console.log(`86${phoneNumber}: not on the first page of ${body.phoneNumbers.length} numbers`);
else console.log(`86${phoneNumber}: Status=${mine.status} NameStatus=${mine.nameStatus}`);
