/**
 * Shared helpers of the STS tests: the official `@alicloud/sts20150401` client, unmodified, pointed at a
 * test server, and roles made through the service the RAM API uses.
 */
import * as OpenApi from '@alicloud/openapi-core';
import Sts, * as StsModels from '@alicloud/sts20150401';
import type { Credentials, TestServer } from '../support/server.js';
import type { Signature } from '../ram-api/helpers.js';

export { StsModels };

// CommonJS interop differs between Node and vitest: the default import is either the Client class or
// the module object holding it.
const StsClientClass = (typeof Sts === 'function' ? Sts : Sts.default) as typeof Sts.default;
export type StsClient = InstanceType<typeof Sts.default>;

/** Credentials, with the SecurityToken of temporary ones. */
export type AnyCredentials = Credentials & { securityToken?: string };

/** The official STS client: V3 by default, V1 (HMAC-SHA1) with `signatureAlgorithm: 'v2'`. */
export function stsClient(s: TestServer, creds: AnyCredentials, signature: Signature = 'V3'): StsClient {
  return new StsClientClass(
    new OpenApi.$OpenApiUtil.Config({
      ...creds,
      endpoint: s.endpoint,
      protocol: 'http',
      ...(signature === 'V1' ? { signatureAlgorithm: 'v2' } : {}),
    }),
  );
}

/** A trust policy letting every RAM identity of `accountId` assume the role. */
export const trustAccount = (accountId: string): string =>
  JSON.stringify({
    Version: '1',
    Statement: [
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${accountId}:root`] } },
    ],
  });

/** A role of the test account with the given trust policy and system policies; returns its ARN and ID. */
export async function roleWith(
  s: TestServer,
  name: string,
  opts: { trust?: string; policies?: readonly string[]; maxSessionDuration?: number } = {},
): Promise<{ arn: string; id: string }> {
  const role = await s.app.services.roles.create(s.root.accountId, {
    name,
    trustPolicy: opts.trust ?? trustAccount(s.root.accountId),
    ...(opts.maxSessionDuration === undefined ? {} : { maxSessionDuration: opts.maxSessionDuration }),
  });
  for (const policy of opts.policies ?? []) {
    await s.app.services.roles.attachPolicy(s.root.accountId, name, 'System', policy);
  }
  return { arn: `acs:ram::${s.root.accountId}:role/${name}`, id: role.id };
}

/** How many sessions the store holds: a refused AssumeRole issues none. */
export async function sessionCount(s: TestServer): Promise<number> {
  return (await s.app.db.selectFrom('sts_sessions').select('access_key_id').execute()).length;
}
