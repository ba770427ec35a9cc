// Temporary credentials from this service's STS (2015-04-01), as production code signs: a role that may
// run CAMS, a RAM user that may assume it, AssumeRole, and the CAMS SDK signing with the STS token.
//   npx cams serve                  (another terminal; the first start writes data/demo-credentials.json)
//   node sts-credentials.mjs        (npm i @alicloud/sts20150401 @alicloud/ram20150501 @alicloud/openapi-core
//                                    @alicloud/credentials @alicloud/cams20200606 @alicloud/openapi-client)
// CAMS_DEMO_CREDENTIALS: the credentials file (default data/demo-credentials.json);
// CAMS_ENDPOINT: host:port of the server (default 127.0.0.1:8080, what `npx cams serve` listens on);
// CAMS_STS_HTTPS_ENDPOINT: host[:port] of the server behind TLS, to also try the ram_role_arn provider.
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Cams, * as $Cams from '@alicloud/cams20200606';
import Credential, { Config as CredentialConfig } from '@alicloud/credentials';
import * as $OpenApi from '@alicloud/openapi-client';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import Ram, * as $Ram from '@alicloud/ram20150501';
import Sts, * as $Sts from '@alicloud/sts20150401';

const demo = JSON.parse(
  readFileSync(process.env.CAMS_DEMO_CREDENTIALS ?? 'data/demo-credentials.json', 'utf8'),
);
const endpoint = process.env.CAMS_ENDPOINT ?? '127.0.0.1:8080';
const accountId = demo.accountId;

// The role (who may assume it: any identity of the account) and a RAM user allowed to call AssumeRole.
const ram = new Ram.default(
  new $OpenApiUtil.Config({
    accessKeyId: demo.accessKeyId,
    accessKeySecret: demo.accessKeySecret,
    endpoint,
    protocol: 'http',
  }),
);
const roleName = `cams-operator-${randomInt(1e6)}`;
await ram.createRole(
  new $Ram.CreateRoleRequest({
    roleName,
    assumeRolePolicyDocument: JSON.stringify({
      Version: '1',
      Statement: [
        { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${accountId}:root`] } },
      ],
    }),
  }),
);
await ram.attachPolicyToRole(
  new $Ram.AttachPolicyToRoleRequest({ roleName, policyType: 'System', policyName: 'AliyunCamsFullAccess' }),
);
const userName = `nightly-${randomInt(1e6)}`;
await ram.createUser(new $Ram.CreateUserRequest({ userName }));
await ram.attachPolicyToUser(
  new $Ram.AttachPolicyToUserRequest({
    userName,
    policyType: 'System',
    policyName: 'AliyunSTSAssumeRoleAccess',
  }),
);
const key = (await ram.createAccessKey(new $Ram.CreateAccessKeyRequest({ userName }))).body.accessKey;
const { accessKeyId, accessKeySecret } = key;

const sts = new Sts.default(
  new $OpenApiUtil.Config({ accessKeyId, accessKeySecret, endpoint, protocol: 'http' }),
);
const { body } = await sts.assumeRole(
  new $Sts.AssumeRoleRequest({
    roleArn: `acs:ram::${accountId}:role/${roleName}`,
    roleSessionName: 'nightly-sync',
    durationSeconds: 900, // 900 .. the role's MaxSessionDuration; 3600 by default
  }),
);
// body.credentials: { accessKeyId: 'STS.…', accessKeySecret, securityToken, expiration }
console.log(`AssumeRole: ${body.assumedRoleUser.arn} until ${body.credentials.expiration}`);

// Static temporary credentials (type 'sts'):
const { securityToken } = body.credentials;
const fixed = new Credential.default(
  new CredentialConfig({
    type: 'sts',
    accessKeyId: body.credentials.accessKeyId,
    accessKeySecret: body.credentials.accessKeySecret,
    securityToken,
  }),
);
const cams = new Cams.default(new $OpenApi.Config({ credential: fixed, endpoint, protocol: 'http' }));
const numbers = await cams.queryChatappPhoneNumbers(
  new $Cams.QueryChatappPhoneNumbersRequest({ custSpaceId: demo.custSpaceId }),
);
console.log(`QueryChatappPhoneNumbers with the STS token: Code=${numbers.body.code}`);

const me = await new Sts.default(
  new $OpenApiUtil.Config({
    accessKeyId: body.credentials.accessKeyId,
    accessKeySecret: body.credentials.accessKeySecret,
    securityToken,
    endpoint,
    protocol: 'http',
  }),
).getCallerIdentity();
console.log(`GetCallerIdentity: ${me.body.identityType} ${me.body.arn}`);

// Or let the provider assume the role, and assume it again before the credentials expire:
const credential = new Credential.default(
  new CredentialConfig({
    type: 'ram_role_arn',
    accessKeyId, // a RAM user's long-term key
    accessKeySecret,
    roleArn: `acs:ram::${accountId}:role/${roleName}`,
    roleSessionName: 'nightly-sync',
    roleSessionExpiration: 3600,
    stsEndpoint: process.env.CAMS_STS_HTTPS_ENDPOINT, // this service's host[:port], behind TLS
  }),
);
if (process.env.CAMS_STS_HTTPS_ENDPOINT) {
  const viaRole = new Cams.default(new $OpenApi.Config({ credential, endpoint, protocol: 'http' }));
  const again = await viaRole.queryChatappPhoneNumbers(
    new $Cams.QueryChatappPhoneNumbersRequest({ custSpaceId: demo.custSpaceId }),
  );
  console.log(`QueryChatappPhoneNumbers through ram_role_arn: Code=${again.body.code}`);
}
