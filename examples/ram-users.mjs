// Identities through the RAM API (2015-05-01) on the same endpoint: a RAM user that may only read CAMS,
// with its own AccessKey, made with the official RAM SDK instead of the `cams` CLI.
//   npx cams serve                  (another terminal; the first start writes data/demo-credentials.json)
//   node ram-users.mjs              (npm i @alicloud/ram20150501 @alicloud/openapi-core)
// CAMS_DEMO_CREDENTIALS: the credentials file (default data/demo-credentials.json);
// CAMS_ENDPOINT: host:port of the server (default 127.0.0.1:8080, what `npx cams serve` listens on).
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Ram, * as $Ram from '@alicloud/ram20150501';
import { $OpenApiUtil } from '@alicloud/openapi-core';

const demo = JSON.parse(
  readFileSync(process.env.CAMS_DEMO_CREDENTIALS ?? 'data/demo-credentials.json', 'utf8'),
);
const ram = new Ram.default(
  new $OpenApiUtil.Config({
    accessKeyId: demo.accessKeyId,
    accessKeySecret: demo.accessKeySecret,
    endpoint: process.env.CAMS_ENDPOINT ?? '127.0.0.1:8080', // the CAMS endpoint: one port, every product
    protocol: 'http',
    // signatureAlgorithm: 'v2',   // signature V1 (HMAC-SHA1) instead of the default V3
  }),
);

const userName = `reporting-${randomInt(1e6)}`;
await ram.createUser(new $Ram.CreateUserRequest({ userName, displayName: 'Reporting' }));
await ram.attachPolicyToUser(
  new $Ram.AttachPolicyToUserRequest({
    userName,
    policyType: 'System',
    policyName: 'AliyunCamsReadOnlyAccess',
  }),
);
const { body } = await ram.createAccessKey(new $Ram.CreateAccessKeyRequest({ userName }));
console.log(`RAM user ${userName}: AccessKeyId=${body.accessKey.accessKeyId} (the secret is answered once)`);

const listed = await ram.listPoliciesForUser(new $Ram.ListPoliciesForUserRequest({ userName }));
console.log(`Policies: ${listed.body.policies.policy.map((p) => p.policyName).join(', ')}`);
