// A whole onboarding on the simulator: add a number, request a code, read it from the simulator's outbox,
// let the display-name review pass, verify and register, and see the number CONNECTED.
//   CAMS_OPERATOR_TOKEN=<16+ characters> npx cams serve          (another terminal)
//   CAMS_OPERATOR_TOKEN=<the same> node onboarding.mjs
// The outbox and the simulator's clock are the operator API (/_admin/, Bearer CAMS_OPERATOR_TOKEN);
// `npx cams sim outbox` and `npx cams sim clock advance 10s` do the same from a shell.
// CAMS_DEMO_CREDENTIALS (default data/demo-credentials.json), CAMS_ENDPOINT (default 127.0.0.1:8080).
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Cams, * as $Cams from '@alicloud/cams20200606';
import * as $OpenApi from '@alicloud/openapi-client';

const demo = JSON.parse(
  readFileSync(process.env.CAMS_DEMO_CREDENTIALS ?? 'data/demo-credentials.json', 'utf8'),
);
const endpoint = process.env.CAMS_ENDPOINT ?? '127.0.0.1:8080';
const operatorToken = process.env.CAMS_OPERATOR_TOKEN;
if (!operatorToken) throw new Error('set CAMS_OPERATOR_TOKEN to the token the server was started with');
const client = new Cams.default(
  new $OpenApi.Config({
    accessKeyId: demo.accessKeyId,
    accessKeySecret: demo.accessKeySecret,
    endpoint,
    protocol: 'http',
  }),
);
const space = demo.custSpaceId;

/** The operator API: JSON in, JSON out. */
async function operator(method, path, body) {
  const res = await fetch(`http://${endpoint}${path}`, {
    method,
    headers: { authorization: `Bearer ${operatorToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

const national = `139${String(randomInt(1e8)).padStart(8, '0')}`;
const phoneNumber = `86${national}`; // every call after the add names the number country code first

// 1. Add the number (Status PENDING, NameStatus Pending_Review).
await client.addChatappPhoneNumber(
  new $Cams.AddChatappPhoneNumberRequest({
    custSpaceId: space,
    cc: '86',
    phoneNumber: national,
    verifiedName: 'Alibaba Cloud',
  }),
);
console.log(`added ${phoneNumber}`);

// 2. Ask Meta (here: the simulator) to send a verification code by SMS.
await client.getChatappVerifyCode(
  new $Cams.GetChatappVerifyCodeRequest({ custSpaceId: space, phoneNumber, method: 'sms', locale: 'en_US' }),
);

// 3. Read the code the simulator "sent" (with Meta it arrives on the phone).
const { Messages } = await operator('GET', `/_admin/outbox?phoneNumber=${phoneNumber}`);
const verifyCode = Messages.at(-1).code;
console.log(`code from the outbox: ${verifyCode}`);

// 4. The simulator reviews the display name 5 s after the add; Meta refuses a register before that
//    (PhoneNumber.DisplayNameNotReady). Move the simulator's clock instead of waiting.
await operator('POST', '/_admin/clock', { advanceSeconds: 10 });

// 5. Verify the code and register the number (the service owns the two-step PIN).
const registered = await client.chatappVerifyAndRegister(
  new $Cams.ChatappVerifyAndRegisterRequest({ custSpaceId: space, phoneNumber, verifyCode }),
);
console.log(`ChatappVerifyAndRegister: Code=${registered.body.code}`);

// 6. The number is ready to send: among the space's CONNECTED numbers (an answer lists 25 at most).
const { body } = await client.queryChatappPhoneNumbers(
  new $Cams.QueryChatappPhoneNumbersRequest({ custSpaceId: space, status: 'CONNECTED' }),
);
const number = body.phoneNumbers.find((n) => n.phoneNumber === phoneNumber);
console.log(`${phoneNumber}: Status=${number.status} NameStatus=${number.nameStatus}`);
if (number.status !== 'CONNECTED' || number.nameStatus !== 'Approval') process.exitCode = 1;
