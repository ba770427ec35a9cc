/**
 * RAM roles through the unmodified `@alicloud/ram20150501` client, signature V3 and V1, on SQLite and
 * PostgreSQL: the answers as the SDK's models declare them, paging, RAM's error codes, nothing written
 * by bad input, RAM policies governing the RAM actions, and tenant scope.
 */
import { describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.js';
import {
  expectRamError,
  onEveryStore,
  ramClient,
  ramError,
  RamModels,
  ramUserWith,
  type Signature,
} from './helpers.js';

const trust = (ram: string[]) =>
  JSON.stringify({
    Version: '1',
    Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: ram } }],
  });

onEveryStore('test/ram-api/roles.test.ts', (server) => {
  let n = 0;
  const unique = (prefix: string) => `${prefix}-${++n}`;

  describe.each<Signature>(['V3', 'V1'])('signature %s', (signature) => {
    const client = (s: TestServer) => ramClient(s, s.root, signature);

    it('CreateRole answers the role as CreateRoleResponseBodyRole declares it; GetRole reads it back', async () => {
      const s = server();
      const name = unique(`Ops.Role-${signature}`);
      const document = trust([`acs:ram::${s.root.accountId}:root`]);
      const created = await client(s).createRole(
        new RamModels.CreateRoleRequest({
          roleName: name,
          assumeRolePolicyDocument: document,
          description: 'operators',
          maxSessionDuration: 7200,
        }),
      );
      const role = created.body!.role!;
      expect(created.body!.requestId).toMatch(/^[0-9A-F-]{36}$/);
      expect(role.toMap()).toEqual({
        RoleId: expect.stringMatching(/^\d{19}$/),
        RoleName: name,
        Arn: `acs:ram::${s.root.accountId}:role/${name.toLowerCase()}`,
        Description: 'operators',
        AssumeRolePolicyDocument: document,
        MaxSessionDuration: 7200,
        CreateDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      });
      const got = await client(s).getRole(new RamModels.GetRoleRequest({ roleName: name.toUpperCase() }));
      expect(got.body!.role!.toMap()).toEqual({ ...role.toMap(), UpdateDate: role.createDate });
    });

    it('UpdateRole changes what it is given and keeps the rest', async () => {
      const s = server();
      const name = unique('update');
      await client(s).createRole(
        new RamModels.CreateRoleRequest({
          roleName: name,
          assumeRolePolicyDocument: trust([`acs:ram::${s.root.accountId}:root`]),
          description: 'before',
        }),
      );
      const newTrust = trust([`acs:ram::${s.root.accountId}:user/alice`]);
      const updated = await client(s).updateRole(
        new RamModels.UpdateRoleRequest({
          roleName: name,
          newAssumeRolePolicyDocument: newTrust,
          newMaxSessionDuration: 43200,
        }),
      );
      expect(updated.body!.role).toMatchObject({
        roleName: name,
        assumeRolePolicyDocument: newTrust,
        maxSessionDuration: 43200,
        description: 'before',
      });
      const again = await client(s).getRole(new RamModels.GetRoleRequest({ roleName: name }));
      expect(again.body!.role).toMatchObject({
        assumeRolePolicyDocument: newTrust,
        maxSessionDuration: 43200,
      });
    });

    it('policies attach to a role, are listed, and block DeleteRole until detached', async () => {
      const s = server();
      const name = unique('attach');
      await client(s).createRole(
        new RamModels.CreateRoleRequest({
          roleName: name,
          assumeRolePolicyDocument: trust([`acs:ram::${s.root.accountId}:root`]),
        }),
      );
      const attach = new RamModels.AttachPolicyToRoleRequest({
        roleName: name,
        policyType: 'System',
        policyName: 'AliyunCamsFullAccess',
      });
      await client(s).attachPolicyToRole(attach);
      expectRamError(
        await ramError(client(s).attachPolicyToRole(attach)),
        'EntityAlreadyExists.Role.Policy',
        409,
      );
      const listed = await client(s).listPoliciesForRole(
        new RamModels.ListPoliciesForRoleRequest({ roleName: name }),
      );
      expect(listed.body!.policies!.policy!.map((p) => p.toMap())).toEqual([
        {
          PolicyName: 'AliyunCamsFullAccess',
          PolicyType: 'System',
          Description: 'Full access to Chat App Message Service (CAMS)',
          DefaultVersion: 'v1',
          AttachDate: expect.stringMatching(/Z$/),
        },
      ]);
      const del = new RamModels.DeleteRoleRequest({ roleName: name });
      expectRamError(await ramError(client(s).deleteRole(del)), 'DeleteConflict.Role.Policy', 409);
      await client(s).getRole(new RamModels.GetRoleRequest({ roleName: name })); // still there
      await client(s).detachPolicyFromRole(new RamModels.DetachPolicyFromRoleRequest({ ...attach }));
      expectRamError(
        await ramError(
          client(s).detachPolicyFromRole(new RamModels.DetachPolicyFromRoleRequest({ ...attach })),
        ),
        'EntityNotExist.Role.Policy',
        404,
      );
      await client(s).deleteRole(del);
      expectRamError(
        await ramError(client(s).getRole(new RamModels.GetRoleRequest({ roleName: name }))),
        'EntityNotExist.Role',
        404,
      );
    });
  });

  it('ListRoles pages with MaxItems, Marker and IsTruncated, in name order', async () => {
    const s = server();
    const other = await s.app.iam.createAccount({ name: 'paging', subscribed: false });
    const key = await s.app.iam.createAccessKey(other.id);
    const c = ramClient(s, key);
    const names = ['delta', 'Alpha', 'charlie', 'bravo', 'echo'];
    for (const roleName of names) {
      await c.createRole(
        new RamModels.CreateRoleRequest({
          roleName,
          assumeRolePolicyDocument: trust([`acs:ram::${other.id}:root`]),
        }),
      );
    }
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await c.listRoles(
        new RamModels.ListRolesRequest({ maxItems: 2, ...(marker ? { marker } : {}) }),
      );
      pages++;
      const roles = page.body!.roles!.role!;
      seen.push(...roles.map((r) => r.roleName!));
      for (const r of roles) expect(r.arn).toBe(`acs:ram::${other.id}:role/${r.roleName!.toLowerCase()}`);
      if (!page.body!.isTruncated) {
        expect(page.body!.marker).toBeUndefined();
        break;
      }
      marker = page.body!.marker!;
      expect(typeof marker).toBe('string');
    }
    expect({ pages, seen }).toEqual({ pages: 3, seen: ['Alpha', 'bravo', 'charlie', 'delta', 'echo'] });
    expectRamError(
      await ramError(c.listRoles(new RamModels.ListRolesRequest({ marker: 'nonsense!' }))),
      'InvalidParameter',
      400,
    );
    expectRamError(
      await ramError(c.listRoles(new RamModels.ListRolesRequest({ maxItems: 1001 }))),
      'InvalidParameter',
      400,
    );
  });

  describe('bad input answers RAM codes and creates nothing', () => {
    const refused = async (s: TestServer, request: Record<string, unknown>, code: string, status = 400) => {
      const roleName = (request.roleName as string | undefined) ?? unique('bad');
      const err = await ramError(
        ramClient(s, s.root).createRole(
          new RamModels.CreateRoleRequest({
            roleName,
            assumeRolePolicyDocument: trust([`acs:ram::${s.root.accountId}:root`]),
            ...request,
          }),
        ),
      );
      expectRamError(err, code, status);
      return { err, roleName };
    };

    it.each([
      ['not JSON', '{"Version":"1",'],
      [
        'a Resource instead of a Principal',
        '{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}',
      ],
      [
        'a principal that is not an ARN',
        '{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":["alice"]}}]}',
      ],
      [
        'a service that is not a service',
        '{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":["ecs"]}}]}',
      ],
      [
        'an empty Principal',
        '{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{}}]}',
      ],
      [
        'Version 2',
        '{"Version":"2","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":["acs:ram::1:root"]}}]}',
      ],
    ])('a trust policy with %s: MalformedPolicyDocument', async (_, document) => {
      const s = server();
      const { err, roleName } = await refused(
        s,
        { assumeRolePolicyDocument: document },
        'MalformedPolicyDocument',
      );
      expect(err.message.length).toBeGreaterThan(40);
      expectRamError(
        await ramError(ramClient(s, s.root).getRole(new RamModels.GetRoleRequest({ roleName }))),
        'EntityNotExist.Role',
        404,
      );
    });

    it.each([100, 3599, 43201])(
      'MaxSessionDuration %i: InvalidParameter.MaxSessionDuration',
      async (seconds) => {
        const s = server();
        const { roleName } = await refused(
          s,
          { maxSessionDuration: seconds },
          'InvalidParameter.MaxSessionDuration',
        );
        expectRamError(
          await ramError(ramClient(s, s.root).getRole(new RamModels.GetRoleRequest({ roleName }))),
          'EntityNotExist.Role',
          404,
        );
      },
    );

    it('a RoleName with invalid characters: InvalidParameter.RoleName.InvalidChars', async () => {
      await refused(server(), { roleName: 'no spaces' }, 'InvalidParameter.RoleName.InvalidChars');
    });

    it('a missing trust policy: MissingAssumeRolePolicyDocument', async () => {
      await refused(server(), { assumeRolePolicyDocument: undefined }, 'MissingAssumeRolePolicyDocument');
    });

    it('a name taken in another case: EntityAlreadyExists.Role', async () => {
      const s = server();
      const roleName = unique('Taken');
      const create = (name: string) =>
        ramClient(s, s.root).createRole(
          new RamModels.CreateRoleRequest({
            roleName: name,
            assumeRolePolicyDocument: trust([`acs:ram::${s.root.accountId}:root`]),
          }),
        );
      await create(roleName);
      const err = await ramError(create(roleName.toLowerCase()));
      expectRamError(err, 'EntityAlreadyExists.Role', 409);
    });

    it('attaching a policy that does not exist: EntityNotExist.Policy; a PolicyType other than System/Custom: InvalidParameter.PolicyType', async () => {
      const s = server();
      const roleName = unique('attach-bad');
      await ramClient(s, s.root).createRole(
        new RamModels.CreateRoleRequest({
          roleName,
          assumeRolePolicyDocument: trust([`acs:ram::${s.root.accountId}:root`]),
        }),
      );
      const attach = (policyType: string, policyName: string) =>
        ramError(
          ramClient(s, s.root).attachPolicyToRole(
            new RamModels.AttachPolicyToRoleRequest({ roleName, policyType, policyName }),
          ),
        );
      expectRamError(await attach('Custom', 'nope'), 'EntityNotExist.Policy', 404);
      expectRamError(await attach('System', 'AdministratorAccess'), 'EntityNotExist.Policy', 404);
      expectRamError(await attach('Managed', 'AliyunCamsFullAccess'), 'InvalidParameter.PolicyType', 400);
      const listed = await ramClient(s, s.root).listPoliciesForRole(
        new RamModels.ListPoliciesForRoleRequest({ roleName }),
      );
      expect(listed.body!.policies!.policy).toEqual([]);
    });
  });

  describe('RAM policies govern the RAM actions', () => {
    it('AliyunRAMReadOnlyAccess reads roles and may not create one: NoPermission (403) with AccessDeniedDetail', async () => {
      const s = server();
      const reader = await ramUserWith(s, unique('reader'), ['AliyunRAMReadOnlyAccess']);
      await ramClient(s, reader).listRoles(new RamModels.ListRolesRequest({}));
      const err = await ramError(
        ramClient(s, reader).createRole(
          new RamModels.CreateRoleRequest({
            roleName: unique('denied'),
            assumeRolePolicyDocument: trust([`acs:ram::${s.root.accountId}:root`]),
          }),
        ),
      );
      expectRamError(err, 'NoPermission', 403);
      expect(err.data?.AccessDeniedDetail).toMatchObject({
        AuthAction: 'ram:CreateRole',
        AuthPrincipalOwnerId: s.root.accountId,
        NoPermissionType: 'ImplicitDeny',
      });
    });

    it('AliyunRAMFullAccess may create roles; AliyunCamsFullAccess may not even list them', async () => {
      const s = server();
      const admin = await ramUserWith(s, unique('ram-admin'), ['AliyunRAMFullAccess']);
      await ramClient(s, admin).createRole(
        new RamModels.CreateRoleRequest({
          roleName: unique('by-admin'),
          assumeRolePolicyDocument: trust([`acs:ram::${s.root.accountId}:root`]),
        }),
      );
      const cams = await ramUserWith(s, unique('cams-admin'), ['AliyunCamsFullAccess']);
      expectRamError(
        await ramError(ramClient(s, cams).listRoles(new RamModels.ListRolesRequest({}))),
        'NoPermission',
        403,
      );
    });

    it('the audit trail records RAM writes and RAM denials, as it records CAMS ones', async () => {
      const s = server();
      const roleName = unique('audited');
      const created = await ramClient(s, s.root).createRole(
        new RamModels.CreateRoleRequest({
          roleName,
          assumeRolePolicyDocument: trust([`acs:ram::${s.root.accountId}:root`]),
        }),
      );
      const reader = await ramUserWith(s, unique('audit-reader'), ['AliyunRAMReadOnlyAccess']);
      const denied = await ramError(
        ramClient(s, reader).deleteRole(new RamModels.DeleteRoleRequest({ roleName })),
      );
      const { events } = await s.app.audit.list({ accountId: s.root.accountId, limit: 100 });
      expect(events.find((e) => e.requestId === created.body!.requestId)).toMatchObject({
        action: 'CreateRole',
        identity: 'root',
        code: 'OK',
      });
      expect(events.find((e) => e.requestId === denied.data?.RequestId)).toMatchObject({
        action: 'DeleteRole',
        code: 'NoPermission',
      });
    });

    it("another account sees none of this account's roles", async () => {
      const s = server();
      const roleName = unique('private');
      await ramClient(s, s.root).createRole(
        new RamModels.CreateRoleRequest({
          roleName,
          assumeRolePolicyDocument: trust([`acs:ram::${s.root.accountId}:root`]),
        }),
      );
      const other = await s.app.iam.createAccount({ name: 'other', subscribed: true });
      const key = await s.app.iam.createAccessKey(other.id);
      expectRamError(
        await ramError(ramClient(s, key).getRole(new RamModels.GetRoleRequest({ roleName }))),
        'EntityNotExist.Role',
        404,
      );
      expectRamError(
        await ramError(ramClient(s, key).deleteRole(new RamModels.DeleteRoleRequest({ roleName }))),
        'EntityNotExist.Role',
        404,
      );
      await ramClient(s, s.root).getRole(new RamModels.GetRoleRequest({ roleName }));
    });
  });
});
