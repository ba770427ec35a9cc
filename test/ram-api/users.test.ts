/**
 * RAM users, access keys and policies through the unmodified `@alicloud/ram20150501` client (V3 and
 * V1) on SQLite and PostgreSQL: the SDK models' fields, RAM's error codes, nothing written by bad input,
 * and one identity behind two doors: what the RAM API creates the `cams` CLI lists, and the reverse.
 */
import { describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.js';
import { camsClient, CamsModels, sdkError } from '../support/server.js';
import {
  cli,
  expectRamError,
  onEveryStore,
  ramClient,
  ramError,
  RamModels,
  type Signature,
} from './helpers.js';

const DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const camsRead = '{"Version":"1","Statement":[{"Effect":"Allow","Action":"cams:Query*","Resource":"*"}]}';

onEveryStore('test/ram-api/users.test.ts', (server, env) => {
  let n = 0;
  const unique = (prefix: string) => `${prefix}${++n}`;

  describe.each<Signature>(['V3', 'V1'])('signature %s', (signature) => {
    const client = (s: TestServer) => ramClient(s, s.root, signature);

    it('CreateUser, GetUser, UpdateUser answer the SDK models; the CLI lists the user', async () => {
      const s = server();
      const name = unique(`alice.${signature}`);
      const created = await client(s).createUser(
        new RamModels.CreateUserRequest({ userName: name, displayName: 'Alice', comments: 'ops' }),
      );
      expect(created.body!.user!.toMap()).toEqual({
        UserId: expect.stringMatching(/^\d{17}$/),
        UserName: name,
        DisplayName: 'Alice',
        Comments: 'ops',
        Email: '',
        MobilePhone: '',
        CreateDate: expect.stringMatching(DATE),
      });
      const listed = (await cli(s, env(), 'user', 'list', '--account', s.root.accountId)) as Array<{
        name: string;
      }>;
      expect(listed.map((u) => u.name)).toContain(name);

      const renamed = `${name}-x`;
      const updated = await client(s).updateUser(
        new RamModels.UpdateUserRequest({ userName: name, newUserName: renamed, newComments: '' }),
      );
      expect(updated.body!.user).toMatchObject({ userName: renamed, displayName: 'Alice', comments: '' });
      const got = await client(s).getUser(new RamModels.GetUserRequest({ userName: renamed }));
      expect(got.body!.user).toMatchObject({ userId: created.body!.user!.userId, userName: renamed });
      expectRamError(
        await ramError(client(s).getUser(new RamModels.GetUserRequest({ userName: name }))),
        'EntityNotExist.User',
        404,
      );
    });

    it('access keys: two per user, the secret answered once, status switched, a disabled key refused by the gateway', async () => {
      const s = server();
      const name = unique('keys');
      await client(s).createUser(new RamModels.CreateUserRequest({ userName: name }));
      await client(s).attachPolicyToUser(
        new RamModels.AttachPolicyToUserRequest({
          userName: name,
          policyType: 'System',
          policyName: 'AliyunCamsFullAccess',
        }),
      );
      const made = await client(s).createAccessKey(new RamModels.CreateAccessKeyRequest({ userName: name }));
      const key = made.body!.accessKey!;
      expect(key.toMap()).toEqual({
        AccessKeyId: expect.stringMatching(/^LTAI/),
        AccessKeySecret: expect.stringMatching(/^\w{30}$/),
        Status: 'Active',
        CreateDate: expect.stringMatching(/Z$/),
      });
      await client(s).createAccessKey(new RamModels.CreateAccessKeyRequest({ userName: name }));
      expectRamError(
        await ramError(client(s).createAccessKey(new RamModels.CreateAccessKeyRequest({ userName: name }))),
        'LimitExceeded.User.AccessKey',
        409,
      );
      const list = await client(s).listAccessKeys(new RamModels.ListAccessKeysRequest({ userName: name }));
      expect(list.body!.accessKeys!.accessKey!.map((k) => k.toMap())).toContainEqual({
        AccessKeyId: key.accessKeyId,
        Status: 'Active',
        CreateDate: key.createDate,
      });
      expect(JSON.stringify(list.body!.toMap())).not.toContain(key.accessKeySecret!);

      // The new key works on the CAMS API, and stops working once deactivated.
      const creds = { accessKeyId: key.accessKeyId!, accessKeySecret: key.accessKeySecret! };
      const query = () =>
        camsClient(s, creds).queryChatappBindWaba(
          new CamsModels.QueryChatappBindWabaRequest({ custSpaceId: s.root.custSpaceId }),
        );
      expect((await query()).body?.code).toBe('OK');
      await client(s).updateAccessKey(
        new RamModels.UpdateAccessKeyRequest({
          userName: name,
          userAccessKeyId: key.accessKeyId,
          status: 'Inactive',
        }),
      );
      expect((await sdkError(query())).code).toBe('InvalidAccessKeyId.Inactive');
      const cliKeys = (await cli(s, env(), 'key', 'list', '--account', s.root.accountId)) as Array<{
        id: string;
        status: string;
      }>;
      expect(cliKeys.find((k) => k.id === key.accessKeyId)?.status).toBe('Inactive');

      expectRamError(
        await ramError(client(s).deleteUser(new RamModels.DeleteUserRequest({ userName: name }))),
        'DeleteConflict.User.AccessKey',
        409,
      );
      for (const k of list.body!.accessKeys!.accessKey!)
        await client(s).deleteAccessKey(
          new RamModels.DeleteAccessKeyRequest({ userName: name, userAccessKeyId: k.accessKeyId }),
        );
      expect((await sdkError(query())).code).toBe('InvalidAccessKeyId.NotFound');
      expectRamError(
        await ramError(client(s).deleteUser(new RamModels.DeleteUserRequest({ userName: name }))),
        'DeleteConflict.User.Policy',
        409,
      );
      await client(s).detachPolicyFromUser(
        new RamModels.DetachPolicyFromUserRequest({
          userName: name,
          policyType: 'System',
          policyName: 'AliyunCamsFullAccess',
        }),
      );
      await client(s).deleteUser(new RamModels.DeleteUserRequest({ userName: name }));
      expectRamError(
        await ramError(client(s).getUser(new RamModels.GetUserRequest({ userName: name }))),
        'EntityNotExist.User',
        404,
      );
    });
  });

  it('a user made by the CLI is managed through the RAM API; a policy made through the RAM API is attached by the CLI', async () => {
    const s = server();
    const name = unique('from-cli');
    await cli(s, env(), 'user', 'create', '--account', s.root.accountId, '--name', name);
    const c = ramClient(s, s.root);
    const got = await c.getUser(new RamModels.GetUserRequest({ userName: name }));
    expect(got.body!.user!.userName).toBe(name);
    const policyName = unique('query-only-');
    await c.createPolicy(
      new RamModels.CreatePolicyRequest({ policyName, policyDocument: camsRead, description: 'reads' }),
    );
    await cli(
      s,
      env(),
      'policy',
      'attach',
      '--account',
      s.root.accountId,
      '--user',
      name,
      '--policy',
      policyName,
    );
    const policies = await c.listPoliciesForUser(
      new RamModels.ListPoliciesForUserRequest({ userName: name }),
    );
    expect(policies.body!.policies!.policy!.map((p) => p.toMap())).toEqual([
      {
        PolicyName: policyName,
        PolicyType: 'Custom',
        Description: 'reads',
        DefaultVersion: 'v1',
        AttachDate: expect.any(String),
      },
    ]);
    const entities = await c.listEntitiesForPolicy(
      new RamModels.ListEntitiesForPolicyRequest({ policyName, policyType: 'Custom' }),
    );
    expect(entities.body!.users!.user!.map((u) => u.userName)).toEqual([name]);
    expect(entities.body!.roles!.role).toEqual([]);
  });

  it('ListUsers pages with MaxItems and Marker', async () => {
    const s = server();
    const other = await s.app.iam.createAccount({ name: 'paging', subscribed: false });
    const key = await s.app.iam.createAccessKey(other.id);
    const c = ramClient(s, key);
    for (const userName of ['carol', 'alice', 'bob'])
      await c.createUser(new RamModels.CreateUserRequest({ userName }));
    const first = await c.listUsers(new RamModels.ListUsersRequest({ maxItems: 2 }));
    expect(first.body!.users!.user!.map((u) => u.userName)).toEqual(['alice', 'bob']);
    expect(first.body!.isTruncated).toBe(true);
    const second = await c.listUsers(
      new RamModels.ListUsersRequest({ maxItems: 2, marker: first.body!.marker }),
    );
    expect(second.body!.users!.user!.map((u) => u.userName)).toEqual(['carol']);
    expect(second.body!.isTruncated).toBe(false);
  });

  describe('policies and their versions', () => {
    it('CreatePolicy, CreatePolicyVersion, SetDefaultPolicyVersion, GetPolicy; DeletePolicy refused while in use', async () => {
      const s = server();
      const c = ramClient(s, s.root);
      const policyName = unique('versions-');
      const created = await c.createPolicy(
        new RamModels.CreatePolicyRequest({ policyName, policyDocument: camsRead }),
      );
      expect(created.body!.policy).toMatchObject({ policyName, policyType: 'Custom', defaultVersion: 'v1' });
      const v2doc = '{"Version":"1","Statement":[{"Effect":"Allow","Action":"cams:*","Resource":"*"}]}';
      const v2 = await c.createPolicyVersion(
        new RamModels.CreatePolicyVersionRequest({ policyName, policyDocument: v2doc, setAsDefault: false }),
      );
      expect(v2.body!.policyVersion!.toMap()).toEqual({
        VersionId: 'v2',
        IsDefaultVersion: false,
        PolicyDocument: v2doc,
        CreateDate: expect.stringMatching(DATE),
      });
      let got = await c.getPolicy(new RamModels.GetPolicyRequest({ policyName, policyType: 'Custom' }));
      expect(got.body!.defaultPolicyVersion).toMatchObject({
        versionId: 'v1',
        isDefaultVersion: true,
        policyDocument: camsRead,
      });
      await c.setDefaultPolicyVersion(
        new RamModels.SetDefaultPolicyVersionRequest({ policyName, versionId: 'v2' }),
      );
      got = await c.getPolicy(new RamModels.GetPolicyRequest({ policyName, policyType: 'Custom' }));
      expect(got.body!.policy).toMatchObject({
        defaultVersion: 'v2',
        policyDocument: v2doc,
        attachmentCount: 0,
      });
      expectRamError(
        await ramError(
          c.setDefaultPolicyVersion(
            new RamModels.SetDefaultPolicyVersionRequest({ policyName, versionId: 'v9' }),
          ),
        ),
        'EntityNotExist.Policy.Version',
        404,
      );
      for (let i = 3; i <= 5; i++)
        await c.createPolicyVersion(
          new RamModels.CreatePolicyVersionRequest({ policyName, policyDocument: camsRead }),
        );
      expectRamError(
        await ramError(
          c.createPolicyVersion(
            new RamModels.CreatePolicyVersionRequest({ policyName, policyDocument: camsRead }),
          ),
        ),
        'LimitExceeded.Policy.Version',
        409,
      );
      expectRamError(
        await ramError(c.deletePolicy(new RamModels.DeletePolicyRequest({ policyName }))),
        'DeleteConflict.Policy.Version',
        409,
      );
    });

    it.each([
      ['not JSON', '{"Version":', 'MalformedPolicyDocument', 400],
      [
        'a bad action',
        '{"Version":"1","Statement":[{"Effect":"Allow","Action":"cams","Resource":"*"}]}',
        'MalformedPolicyDocument',
        400,
      ],
      [
        'too long',
        `{"Version":"1","Statement":[{"Effect":"Allow","Action":"cams:*","Resource":"*"}]}${' '.repeat(6200)}`,
        'InvalidParameter.PolicyDocument',
        400,
      ],
    ])('a policy document that is %s: %s, nothing created', async (_, policyDocument, code, status) => {
      const s = server();
      const c = ramClient(s, s.root);
      const policyName = unique('bad-');
      expectRamError(
        await ramError(c.createPolicy(new RamModels.CreatePolicyRequest({ policyName, policyDocument }))),
        code,
        status,
      );
      expectRamError(
        await ramError(c.getPolicy(new RamModels.GetPolicyRequest({ policyName, policyType: 'Custom' }))),
        'EntityNotExist.Policy',
        404,
      );
    });

    it('ListPolicies lists the system policies and the custom ones, by type', async () => {
      const s = server();
      const c = ramClient(s, s.root);
      const system = await c.listPolicies(
        new RamModels.ListPoliciesRequest({ policyType: 'System', maxItems: 100 }),
      );
      expect(system.body!.policies!.policy!.map((p) => p.policyName)).toEqual(
        expect.arrayContaining(['AliyunCamsFullAccess', 'AliyunRAMFullAccess', 'AliyunRAMReadOnlyAccess']),
      );
      const policyName = unique('listed-');
      await c.createPolicy(new RamModels.CreatePolicyRequest({ policyName, policyDocument: camsRead }));
      const custom = await c.listPolicies(new RamModels.ListPoliciesRequest({ policyType: 'Custom' }));
      expect(custom.body!.policies!.policy!.map((p) => [p.policyType, p.policyName])).toContainEqual([
        'Custom',
        policyName,
      ]);
    });
  });

  it('concurrent CreateUser, CreateRole and CreatePolicy of one name: one is made, the others are told it exists', async () => {
    const s = server();
    const c = ramClient(s, s.root);
    const outcomes = async (calls: Array<Promise<unknown>>) =>
      (await Promise.allSettled(calls)).map((r) =>
        r.status === 'fulfilled' ? 'OK' : (r.reason as { code?: string }).code,
      );
    const userName = unique('racer');
    const users = await outcomes(
      Array.from({ length: 4 }, () => c.createUser(new RamModels.CreateUserRequest({ userName }))),
    );
    expect(users.sort()).toEqual([
      'EntityAlreadyExists.User',
      'EntityAlreadyExists.User',
      'EntityAlreadyExists.User',
      'OK',
    ]);
    const roleName = unique('racer-role');
    const assumeRolePolicyDocument = `{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":["acs:ram::${s.root.accountId}:root"]}}]}`;
    const roles = await outcomes(
      Array.from({ length: 4 }, () =>
        c.createRole(new RamModels.CreateRoleRequest({ roleName, assumeRolePolicyDocument })),
      ),
    );
    expect(roles.sort()).toEqual([
      'EntityAlreadyExists.Role',
      'EntityAlreadyExists.Role',
      'EntityAlreadyExists.Role',
      'OK',
    ]);
    const policyName = unique('racer-policy-');
    const policies = await outcomes(
      Array.from({ length: 4 }, () =>
        c.createPolicy(new RamModels.CreatePolicyRequest({ policyName, policyDocument: camsRead })),
      ),
    );
    expect(policies.sort()).toEqual([
      'EntityAlreadyExists.Policy',
      'EntityAlreadyExists.Policy',
      'EntityAlreadyExists.Policy',
      'OK',
    ]);
  });

  describe('bad input answers RAM codes and creates nothing', () => {
    it('a UserName with invalid characters: InvalidParameter.UserName.InvalidChars', async () => {
      const s = server();
      const err = await ramError(
        ramClient(s, s.root).createUser(new RamModels.CreateUserRequest({ userName: 'no spaces' })),
      );
      expectRamError(err, 'InvalidParameter.UserName.InvalidChars', 400);
      const users = (await cli(s, env(), 'user', 'list', '--account', s.root.accountId)) as Array<{
        name: string;
      }>;
      expect(users.map((u) => u.name)).not.toContain('no spaces');
    });

    it('a user that exists: EntityAlreadyExists.User', async () => {
      const s = server();
      const userName = unique('twice');
      await ramClient(s, s.root).createUser(new RamModels.CreateUserRequest({ userName }));
      expectRamError(
        await ramError(ramClient(s, s.root).createUser(new RamModels.CreateUserRequest({ userName }))),
        'EntityAlreadyExists.User',
        409,
      );
    });

    it('a key of another account or user: EntityNotExist.User.AccessKey, and the key keeps working', async () => {
      const s = server();
      const userName = unique('victim');
      await ramClient(s, s.root).createUser(new RamModels.CreateUserRequest({ userName }));
      const other = await s.app.iam.createAccount({ name: 'other', subscribed: true });
      const otherKey = await s.app.iam.createAccessKey(other.id);
      const err = await ramError(
        ramClient(s, otherKey).updateAccessKey(
          new RamModels.UpdateAccessKeyRequest({ userAccessKeyId: s.root.accessKeyId, status: 'Inactive' }),
        ),
      );
      expectRamError(err, 'EntityNotExist.User.AccessKey', 404);
      await ramClient(s, s.root).getUser(new RamModels.GetUserRequest({ userName }));
    });
  });
});
