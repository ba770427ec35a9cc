/**
 * STS 2015-04-01 through the official `@alicloud/sts20150401` client (V3 and V1), on SQLite and on
 * PostgreSQL: AssumeRole's answer as the SDK models declare it, the credentials it issues at work on
 * CAMS, GetCallerIdentity for each kind of identity, and bad input refused with Alibaba's codes,
 * issuing nothing.
 */
import { describe, expect, it } from 'vitest';
import { camsClient, CamsModels, sdkError } from '../support/server.js';
import { expectRamError, onEveryStore, ramError, ramUserWith, type Signature } from '../ram-api/helpers.js';
import { addRequest, phoneRows, phoneSequence, UUID } from '../wire/helpers.js';
import { roleWith, sessionCount, stsClient, StsModels, trustAccount } from './helpers.js';

const phone = phoneSequence(900);
let n = 0;
const unique = (prefix: string) => `${prefix}${++n}`;

onEveryStore('test/sts/assume-role.test.ts', (server) => {
  describe.each<Signature>(['V3', 'V1'])('signature %s', (signature) => {
    it('AssumeRole answers Credentials and AssumedRoleUser; the credentials add a number; GetCallerIdentity names the role', async () => {
      const s = server();
      const roleName = unique('Deployer');
      const role = await roleWith(s, roleName, { policies: ['AliyunCamsFullAccess'] });
      const user = await ramUserWith(s, unique('ci'), ['AliyunSTSAssumeRoleAccess']);
      const before = Date.now();
      const res = await stsClient(s, user, signature).assumeRole(
        new StsModels.AssumeRoleRequest({
          roleArn: role.arn,
          roleSessionName: 'alice',
          durationSeconds: 1200,
        }),
      );
      const body = res.body!;
      expect(body.requestId).toMatch(UUID);
      expect(body.assumedRoleUser).toEqual(
        expect.objectContaining({
          arn: `acs:ram::${s.root.accountId}:role/${roleName.toLowerCase()}/alice`,
          assumedRoleId: `${role.id}:alice`,
        }),
      );
      const c = body.credentials!;
      expect(c.accessKeyId).toMatch(/^STS\.[A-Za-z0-9]+$/);
      expect(c.accessKeySecret).toMatch(/^[A-Za-z0-9]{30,}$/);
      expect(c.securityToken).toMatch(/^CAIS/);
      expect(c.expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const lifetime = Date.parse(c.expiration!) - before;
      expect(lifetime).toBeGreaterThan(1195_000);
      expect(lifetime).toBeLessThanOrEqual(1201_000);

      const temporary = {
        accessKeyId: c.accessKeyId!,
        accessKeySecret: c.accessKeySecret!,
        securityToken: c.securityToken!,
      };
      const number = phone();
      const added = await camsClient(
        s,
        temporary,
        signature === 'V1' ? 'v2' : undefined,
      ).addChatappPhoneNumber(addRequest(s.root.custSpaceId, number));
      expect(added.body?.code).toBe('OK');
      expect((await phoneRows(s)).map((r) => r.e164)).toContain(`86${number}`);

      const me = (await stsClient(s, temporary, signature).getCallerIdentity()).body!;
      expect({ ...me, requestId: undefined }).toEqual(
        expect.objectContaining({
          identityType: 'AssumedRoleUser',
          accountId: s.root.accountId,
          principalId: `${role.id}:alice`,
          roleId: role.id,
          arn: `acs:ram::${s.root.accountId}:assumed-role/${roleName.toLowerCase()}/alice`,
        }),
      );
      expect(me.userId).toBeUndefined();
    });

    it('GetCallerIdentity for the root key and for a RAM user, even one with no policy', async () => {
      const s = server();
      const root = (await stsClient(s, s.root, signature).getCallerIdentity()).body!;
      expect(root).toEqual(
        expect.objectContaining({
          identityType: 'Account',
          accountId: s.root.accountId,
          principalId: s.root.accountId,
          userId: s.root.accountId,
          arn: `acs:ram::${s.root.accountId}:root`,
        }),
      );
      expect(root.requestId).toMatch(UUID);
      const name = unique('nobody');
      const user = await ramUserWith(s, name, []);
      const userId = (await s.app.iam.user(s.root.accountId, name)).id;
      expect((await stsClient(s, user, signature).getCallerIdentity()).body).toEqual(
        expect.objectContaining({
          identityType: 'RAMUser',
          accountId: s.root.accountId,
          principalId: userId,
          userId,
          arn: `acs:ram::${s.root.accountId}:user/${name}`,
        }),
      );
    });
  });

  describe('refused, issuing nothing', () => {
    const request = (fields: Record<string, unknown>) =>
      new StsModels.AssumeRoleRequest({ roleSessionName: 'alice', ...fields });

    it('bad RoleArn, RoleSessionName, DurationSeconds and Policy answer InvalidParameter.*', async () => {
      const s = server();
      const role = await roleWith(s, unique('Reader'), { policies: ['AliyunCamsReadOnlyAccess'] });
      const user = await ramUserWith(s, unique('ci'), ['AliyunSTSAssumeRoleAccess']);
      const sts = stsClient(s, user);
      const cases: Array<[Record<string, unknown>, string, number, RegExp?]> = [
        [{ roleArn: 'acs:ram::1:user/alice' }, 'InvalidParameter.RoleArn', 400, /RoleArn is wrongly formed/],
        [{ roleArn: `${role.arn}/x` }, 'InvalidParameter.RoleArn', 400],
        [{ roleArn: role.arn, roleSessionName: 'a' }, 'InvalidParameter.RoleSessionName', 400],
        [{ roleArn: role.arn, roleSessionName: 'x'.repeat(65) }, 'InvalidParameter.RoleSessionName', 400],
        [{ roleArn: role.arn, roleSessionName: 'abc*abc' }, 'InvalidParameter.RoleSessionName', 400],
        [{ roleArn: role.arn, durationSeconds: 899 }, 'InvalidParameter.DurationSeconds', 400, /900\/3600/],
        [{ roleArn: role.arn, durationSeconds: 3601 }, 'InvalidParameter.DurationSeconds', 400, /900\/3600/],
        [
          { roleArn: role.arn, policy: '{"Version":"1"' },
          'InvalidParameter.PolicyGrammar',
          400,
          /grammar check/,
        ],
        [
          {
            roleArn: role.arn,
            policy: '{"Version":"1","Statement":[{"Effect":"Permit","Action":"*","Resource":"*"}]}',
          },
          'InvalidParameter.PolicyGrammar',
          400,
        ],
        [{ roleArn: `acs:ram::${s.root.accountId}:role/nosuchrole` }, 'EntityNotExist.Role', 404],
      ];
      const sessions = await sessionCount(s);
      for (const [fields, code, status, message] of cases) {
        expectRamError(await ramError(sts.assumeRole(request(fields))), code, status, message);
      }
      expect(await sessionCount(s)).toBe(sessions);
    });

    it("DurationSeconds up to the role's MaxSessionDuration", async () => {
      const s = server();
      const role = await roleWith(s, unique('Long'), { maxSessionDuration: 7200 });
      const user = await ramUserWith(s, unique('ci'), ['AliyunSTSAssumeRoleAccess']);
      const ok = await stsClient(s, user).assumeRole(request({ roleArn: role.arn, durationSeconds: 7200 }));
      expect(Date.parse(ok.body!.credentials!.expiration!) - Date.now()).toBeGreaterThan(7190_000);
      expectRamError(
        await ramError(stsClient(s, user).assumeRole(request({ roleArn: role.arn, durationSeconds: 7201 }))),
        'InvalidParameter.DurationSeconds',
        400,
        /900\/7200/,
      );
    });

    it('the root key, a caller without sts:AssumeRole, and a caller the trust policy does not name: NoPermission', async () => {
      const s = server();
      const stranger = JSON.stringify({
        Version: '1',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Principal: { RAM: [`acs:ram::${s.root.accountId}:user/someone-else`] },
          },
        ],
      });
      const closed = await roleWith(s, unique('Closed'), { trust: stranger });
      const open = await roleWith(s, unique('Open'), { trust: trustAccount(s.root.accountId) });
      const allowed = await ramUserWith(s, unique('ci'), ['AliyunSTSAssumeRoleAccess']);
      const unallowed = await ramUserWith(s, unique('nobody'), []);
      const sessions = await sessionCount(s);

      const root = await ramError(stsClient(s, s.root).assumeRole(request({ roleArn: open.arn })));
      expectRamError(root, 'NoPermission', 403, /Roles may not be assumed by root accounts/);

      const trust = await ramError(stsClient(s, allowed).assumeRole(request({ roleArn: closed.arn })));
      expectRamError(trust, 'NoPermission', 403, /check the role's trust policy/);

      const denied = await ramError(stsClient(s, unallowed).assumeRole(request({ roleArn: open.arn })));
      expectRamError(denied, 'NoPermission', 403);
      expect(denied.accessDeniedDetail).toEqual(
        expect.objectContaining({
          AuthAction: 'sts:AssumeRole',
          AuthPrincipalType: 'SubUser',
          NoPermissionType: 'ImplicitDeny',
        }),
      );
      expect(await sessionCount(s)).toBe(sessions);
    });

    it('a session policy narrows the role: the assumed role may query and may not add', async () => {
      const s = server();
      const role = await roleWith(s, unique('Full'), { policies: ['AliyunCamsFullAccess'] });
      const user = await ramUserWith(s, unique('ci'), ['AliyunSTSAssumeRoleAccess']);
      const policy = JSON.stringify({
        Version: '1',
        Statement: [{ Effect: 'Allow', Action: 'cams:Query*', Resource: '*' }],
      });
      const c = (
        await stsClient(s, user).assumeRole(request({ roleArn: role.arn, roleSessionName: 'bob', policy }))
      ).body!.credentials!;
      const temporary = {
        accessKeyId: c.accessKeyId!,
        accessKeySecret: c.accessKeySecret!,
        securityToken: c.securityToken!,
      };
      const cams = camsClient(s, temporary);
      const query = new CamsModels.QueryChatappPhoneNumbersRequest({ custSpaceId: s.root.custSpaceId });
      expect((await cams.queryChatappPhoneNumbers(query)).body?.code).toBe('OK');
      const err = await sdkError(cams.addChatappPhoneNumber(addRequest(s.root.custSpaceId, phone())));
      expect(err.code).toBe('Ram.PermissionDeny');
      expect(err.accessDeniedDetail).toEqual(
        expect.objectContaining({ AuthPrincipalType: 'AssumedRoleUser', PolicyType: 'SessionPolicy' }),
      );
    });
  });
});
