/**
 * Temporary credentials across instances (architecture.md, "Scale-out"): two `cams serve` processes on
 * one PostgreSQL and one Redis. A role assumed at one instance, through the STS SDK or through
 * `@alicloud/credentials` (ram_role_arn, over TLS), works at the other; the other refuses a token of
 * another session as the first would. Skips with the reason where PostgreSQL or Redis is absent.
 */
import Credential, { Config as CredentialConfig } from '@alicloud/credentials';
import Cams from '@alicloud/cams20200606';
import * as OpenApi from '@alicloud/openapi-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CamsModels, sdkError, type Credentials, type TestServer } from '../support/server.js';
import { opensslMissing, tlsProxy, type TlsProxy } from '../support/tls-proxy.js';
import { stsClient, StsModels, trustAccount } from '../sts/helpers.js';
import { addRequest, expectSdkError, phoneSequence } from '../wire/helpers.js';
import { clientFor, missingServices, newDeployment, type Deployment } from './deployment.js';
import { buildServer, startInstance, type Instance } from './processes.js';

const CamsClient = (typeof Cams === 'function' ? Cams : Cams.default) as typeof Cams.default;
const CredentialClient = (
  typeof Credential === 'function' ? Credential : Credential.default
) as typeof Credential.default;

const at = (endpoint: string) => ({ endpoint }) as TestServer;
const phone = phoneSequence(3000);
const missing = (await missingServices()) ?? opensslMissing();

describe.skipIf(missing !== undefined)(
  `STS across two instances, one PostgreSQL, one Redis${missing ? ` (${missing})` : ''}`,
  () => {
    let build: ReturnType<typeof buildServer>;
    let deployment: Deployment;
    let a: Instance;
    let b: Instance;
    let proxy: TlsProxy;
    let custSpaceId: string;
    let roleArn: string;
    let user: Credentials;
    const rejectUnauthorized = process.env.NODE_TLS_REJECT_UNAUTHORIZED;

    beforeAll(async () => {
      build = buildServer();
      deployment = await newDeployment();
      [a, b] = await Promise.all([
        startInstance(build.dir, deployment.env),
        startInstance(build.dir, deployment.env),
      ]);
      const admin = await deployment.admin();
      const account = await admin.iam.createAccount({ name: 'isv', subscribed: true });
      custSpaceId = (await admin.spaces.create(account.id, { name: 'space one' })).id;
      await admin.services.roles.create(account.id, {
        name: 'Operator',
        trustPolicy: trustAccount(account.id),
      });
      await admin.services.roles.attachPolicy(account.id, 'Operator', 'System', 'AliyunCamsFullAccess');
      roleArn = `acs:ram::${account.id}:role/operator`;
      await admin.iam.createUser(account.id, 'deployer');
      await admin.iam.attachPolicy(account.id, 'deployer', 'AliyunSTSAssumeRoleAccess');
      const key = await admin.iam.createAccessKey(account.id, { userName: 'deployer' });
      user = { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret };
      proxy = await tlsProxy(a.port);
      // The provider's HTTP client takes no CA; the self-signed test certificate is accepted this way.
      process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    }, 60_000);

    afterAll(async () => {
      if (rejectUnauthorized === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = rejectUnauthorized;
      await proxy?.close();
      await Promise.all([a?.stop(), b?.stop()]);
      await deployment?.dispose();
      build?.remove();
    });

    /** Every secret and token issued here: no instance may log one. */
    const issued: string[] = [];
    const assume = async (endpoint: string, sessionName: string) => {
      const c = (
        await stsClient(at(endpoint), user).assumeRole(
          new StsModels.AssumeRoleRequest({ roleArn, roleSessionName: sessionName }),
        )
      ).body!.credentials!;
      issued.push(c.accessKeySecret!, c.securityToken!);
      return {
        accessKeyId: c.accessKeyId!,
        accessKeySecret: c.accessKeySecret!,
        securityToken: c.securityToken!,
      };
    };

    it('credentials issued by one instance add a number at the other, which knows who they are', async () => {
      const temporary = await assume(a.endpoint, 'alice');
      const added = await clientFor(b.endpoint, temporary).addChatappPhoneNumber(
        addRequest(custSpaceId, phone()),
      );
      expect(added.body?.code).toBe('OK');
      const me = (await stsClient(at(b.endpoint), temporary).getCallerIdentity()).body!;
      expect(me.identityType).toBe('AssumedRoleUser');
      expect(me.arn).toMatch(/:assumed-role\/operator\/alice$/);
    });

    it('the other instance refuses a token of another session and a forged one', async () => {
      const [one, two] = [await assume(a.endpoint, 'bob'), await assume(b.endpoint, 'carol')];
      const query = new CamsModels.QueryChatappPhoneNumbersRequest({ custSpaceId });
      const mismatch = await sdkError(
        clientFor(b.endpoint, {
          ...one,
          securityToken: two.securityToken,
        } as Credentials).queryChatappPhoneNumbers(query),
      );
      expectSdkError(mismatch, 'InvalidSecurityToken.MismatchWithAccessKey', 400);
      const forged = `${one.securityToken.slice(0, -2)}${one.securityToken.endsWith('AA') ? 'BB' : 'AA'}`;
      const malformed = await sdkError(
        clientFor(a.endpoint, { ...two, securityToken: forged } as Credentials).queryChatappPhoneNumbers(
          query,
        ),
      );
      expectSdkError(malformed, 'InvalidSecurityToken.Malformed', 400);
    });

    it('@alicloud/credentials assumes the role at one instance; the CAMS SDK uses it at the other', async () => {
      const credential = new CredentialClient(
        new CredentialConfig({
          type: 'ram_role_arn',
          accessKeyId: user.accessKeyId,
          accessKeySecret: user.accessKeySecret,
          roleArn,
          roleSessionName: 'pipeline',
          stsEndpoint: proxy.endpoint,
        }),
      );
      const cams = new CamsClient(new OpenApi.Config({ credential, endpoint: b.endpoint, protocol: 'http' }));
      expect((await cams.addChatappPhoneNumber(addRequest(custSpaceId, phone()))).body?.code).toBe('OK');
      expect((await credential.getCredential()).accessKeyId).toMatch(/^STS\./);
      expect(a.logs.some((l) => l.msg === 'request' && l.action === 'AssumeRole' && l.status === 200)).toBe(
        true,
      );
      const model = await credential.getCredential();
      issued.push(model.accessKeySecret!, model.securityToken!);
    });

    it('no instance wrote a secret or a token to its log', () => {
      expect(issued.length).toBeGreaterThanOrEqual(8);
      for (const instance of [a, b]) {
        const logged = `${instance.stdout()}${instance.stderr()}`;
        for (const secret of issued) expect(logged).not.toContain(secret);
      }
    });
  },
);
