/** The explorer's sample code (web/explorer/samples.ts): its forms, and the Node samples run for real. */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { transformSync } from 'esbuild';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as CamsSdk from '@alicloud/cams20200606';
import * as RamSdk from '@alicloud/ram20150501';
import * as StsSdk from '@alicloud/sts20150401';
import { PRODUCTS } from '../../src/actions/products.js';
import { actionCatalogue } from '../../src/web/explorer/action-catalogue.js';
import {
  javaSample,
  popCoreSample,
  pythonSample,
  sample,
  sampleLabel,
  typescriptSample,
  type SampleInput,
} from '../../web/explorer/samples.js';
import { RamModels, ramClient } from '../ram-api/helpers.js';
import { camsClient, CamsModels, startServer, type TestServer } from '../support/server.js';

const catalogue = actionCatalogue(PRODUCTS.values());
const action = (name: string) => catalogue.actions.find((a) => a.name === name)!;

const ADD: SampleInput = {
  action: action('AddChatappPhoneNumber'),
  values: {
    CustSpaceId: 'cs-1',
    Cc: '86',
    PhoneNumber: '13800138000',
    VerifiedName: 'Quote " back\\slash\nline é 中',
    PreValidateId: '',
  },
  endpoint: '127.0.0.1:8080',
  protocol: 'http',
};

/**
 * Parameters of Alibaba's API the installed SDK models lack (test/wire/sdk-models.test.ts `NOT_IN_SDK`):
 * IntlVersion is newer than @alicloud/cams20200606 1.4.2. This service's own (the paging,
 * `ParamSpec.extension`) are left out of the typed samples.
 */
const NOT_IN_MODEL: Readonly<Record<string, readonly string[]>> = {
  IsvGetAppId: ['IntlVersion'],
};

const python = spawnSync('python3', ['--version']).status === 0;

describe('sample code for a filled form', () => {
  it('TypeScript: the model fields in camelCase, the values as literals, credentials from the environment', () => {
    const code = typescriptSample(ADD);
    expect(code).toContain("import Cams, * as $Cams from '@alicloud/cams20200606';");
    expect(code).toContain('client.addChatappPhoneNumber(');
    expect(code).toContain('new $Cams.AddChatappPhoneNumberRequest({');
    // In the spec's order (PhoneNumber, CustSpaceId, Cc, PreValidateId, VerifiedName).
    expect(code).toContain('    phoneNumber: "13800138000",\n    custSpaceId: "cs-1",\n    cc: "86",\n');
    expect(code).toContain('verifiedName: "Quote \\" back\\\\slash\\nline é 中",');
    expect(code).not.toContain('preValidateId'); // left empty, so not sent
    expect(code).toContain('accessKeyId: process.env.ALIBABA_CLOUD_ACCESS_KEY_ID,');
    expect(code).toContain('endpoint: "127.0.0.1:8080",');
  });

  it('leaves the paging parameters out of the typed samples, saying so, and sends them with pop-core', () => {
    const query: SampleInput = {
      ...ADD,
      action: action('QueryChatappPhoneNumbers'),
      values: { CustSpaceId: 'cs-1', MaxResults: '100', NextToken: 'abc' },
    };
    const note = "MaxResults, NextToken: not in the SDK's model, so this client cannot send them";
    for (const code of [typescriptSample(query), pythonSample(query), javaSample(query)]) {
      expect(code).toContain(note);
      expect(code).not.toMatch(/maxResults|max_results|setMaxResults|nextToken|next_token|setNextToken/);
    }
    expect(typescriptSample(query)).toContain('custSpaceId: "cs-1"');
    expect(popCoreSample(query)).toContain('MaxResults: "100",');
    expect(popCoreSample(query)).toContain('NextToken: "abc",');
    expect(typescriptSample(ADD)).not.toContain("not in the SDK's model");
  });

  it('pop-core: the wire names and string values, POST', () => {
    const code = popCoreSample(ADD);
    expect(code).toContain('endpoint: "http://127.0.0.1:8080",');
    expect(code).toContain('"AddChatappPhoneNumber",');
    expect(code).toContain('    PhoneNumber: "13800138000",\n    CustSpaceId: "cs-1",\n    Cc: "86",');
    expect(code).toContain("{ method: 'POST' }");
  });

  it('Python: snake_case fields and method; Java: fluent setters', () => {
    const py = pythonSample(ADD);
    expect(py).toContain(
      'request = cams_models.AddChatappPhoneNumberRequest(\n    phone_number="13800138000",\n    cust_space_id="cs-1",',
    );
    expect(py).toContain('response = client.add_chatapp_phone_number(request)');
    expect(py).toContain('access_key_secret=os.environ["ALIBABA_CLOUD_ACCESS_KEY_SECRET"],');
    const java = javaSample(ADD);
    expect(java).toContain(
      'new AddChatappPhoneNumberRequest()\n            .setPhoneNumber("13800138000")\n            .setCustSpaceId("cs-1")\n            .setCc("86")',
    );
    expect(java).toContain('client.addChatappPhoneNumber(request);');
  });

  it('an integer parameter is a number (Long in Java), a JSON list parameter a list, in every language', () => {
    const metric: SampleInput = {
      ...ADD,
      action: action('GetChatappPhoneNumberMetric'),
      values: {
        CustSpaceId: 'cs-1',
        PhoneNumber: '8613800138000',
        Start: '1700000000000',
        End: '1700086400000',
        Granularity: 'DAILY',
      },
    };
    expect(typescriptSample(metric)).toContain('start: 1700000000000,');
    expect(pythonSample(metric)).toContain('start=1700000000000,');
    expect(javaSample(metric)).toContain('.setStart(1700000000000L)');
    expect(popCoreSample(metric)).toContain('Start: "1700000000000",');
    const profile: SampleInput = {
      ...ADD,
      action: action('ModifyPhoneBusinessProfile'),
      values: {
        CustSpaceId: 'cs-1',
        PhoneNumber: '8613800138000',
        Websites: '["https://a.example","https://b.example"]',
      },
    };
    expect(typescriptSample(profile)).toContain('websites: ["https://a.example", "https://b.example"],');
    expect(pythonSample(profile)).toContain('websites=["https://a.example", "https://b.example"],');
    expect(javaSample(profile)).toContain(
      '.setWebsites(java.util.Arrays.asList("https://a.example", "https://b.example"))',
    );
    // pop-core sends the wire value: the JSON string itself.
    expect(popCoreSample(profile)).toContain(
      'Websites: "[\\"https://a.example\\",\\"https://b.example\\"]",',
    );
  });

  it('a RAM action: @alicloud/ram20150501 on openapi-core, pop-core with its Version, alibabacloud_ram20150501, com.aliyun.ram20150501', () => {
    const list: SampleInput = { ...ADD, action: action('ListUsers'), values: { MaxItems: '2' } };
    const ts = typescriptSample(list);
    expect(ts).toContain("import Ram, * as $Ram from '@alicloud/ram20150501';");
    expect(ts).toContain("import { $OpenApiUtil } from '@alicloud/openapi-core';");
    expect(ts).toContain('new Ram.default(\n  new $OpenApiUtil.Config({');
    expect(ts).toContain('client.listUsers(\n  new $Ram.ListUsersRequest({\n    maxItems: 2,\n  }),');
    expect(ts).not.toContain('cams');
    expect(popCoreSample(list)).toContain('apiVersion: "2015-05-01",');
    const py = pythonSample(list);
    expect(py).toContain('from alibabacloud_ram20150501.client import Client');
    expect(py).toContain('request = ram_models.ListUsersRequest(\n    max_items=2,\n)');
    expect(py).toContain('response = client.list_users(request)');
    const java = javaSample(list);
    expect(java).toContain('import com.aliyun.ram20150501.Client;');
    expect(java).toContain('import com.aliyun.ram20150501.models.ListUsersRequest;');
    // ListUsersRequest.setMaxItems takes an Integer, not a Long.
    expect(java).toContain('.setMaxItems(2)');
    const version: SampleInput = {
      ...ADD,
      action: action('CreatePolicyVersion'),
      values: { PolicyName: 'p', PolicyDocument: '{}', SetAsDefault: 'true' },
    };
    expect(typescriptSample(version)).toContain('setAsDefault: true,');
    expect(pythonSample(version)).toContain('set_as_default=True,');
    expect(javaSample(version)).toContain('.setSetAsDefault(true)');
    expect(popCoreSample(version)).toContain('SetAsDefault: "true",');
    expect(sampleLabel('typescript', action('ListUsers'))).toBe('TypeScript (@alicloud/ram20150501)');
    expect(sampleLabel('java', action('AddChatappPhoneNumber'))).toBe('Java (com.aliyun.cams20200606)');
  });

  it('an STS action: @alicloud/sts20150401, Version 2015-04-01, DurationSeconds a Long in Java', () => {
    const assume: SampleInput = {
      ...ADD,
      action: action('AssumeRole'),
      values: { RoleArn: 'acs:ram::1:role/r', RoleSessionName: 's', DurationSeconds: '900' },
    };
    expect(typescriptSample(assume)).toContain("import Sts, * as $Sts from '@alicloud/sts20150401';");
    expect(typescriptSample(assume)).toContain('new $Sts.AssumeRoleRequest({');
    expect(popCoreSample(assume)).toContain('apiVersion: "2015-04-01",');
    expect(pythonSample(assume)).toContain('request = sts_models.AssumeRoleRequest(');
    expect(javaSample(assume)).toContain('.setDurationSeconds(900L)');
  });

  it('every TypeScript sample names its SDK’s request class, method and fields (the official models)', () => {
    const sdks: Record<string, Record<string, unknown>> = { cams: CamsSdk, ram: RamSdk, sts: StsSdk };
    for (const a of catalogue.actions) {
      const code = typescriptSample({ ...ADD, action: a, values: {} });
      const sdk = sdks[a.product.code]!;
      // CommonJS interop: the models are on the module or on its default export.
      const models = (sdk[`${a.name}Request`] === undefined ? sdk.default : sdk) as Record<string, unknown>;
      const request = models[`${a.name}Request`] as { names(): Record<string, string> } | undefined;
      const client = (models.default ?? sdk.default) as {
        prototype: Record<string, (...a: unknown[]) => unknown>;
      };
      const method = a.name[0]!.toLowerCase() + a.name.slice(1);
      expect(typeof client.prototype[method], `${a.name} method`).toBe('function');
      if (a.params.length === 0) {
        // No request model (STS GetCallerIdentity): the method takes none, and the sample passes none.
        expect(request, `${a.product.code} ${a.name}Request`).toBeUndefined();
        expect(client.prototype[method]!.length).toBe(0);
        expect(code).toContain(`await client.${method}();`);
        continue;
      }
      expect(request, `${a.product.code} ${a.name}Request`).toBeDefined();
      expect(code).toContain(`new $${a.product.name}.${a.name}Request(`);
      expect(code).toContain(`client.${method}(`);
      // Every parameter's camelCase field is the model's field for that wire name, but those the
      // installed models lack (as test/wire/sdk-models.test.ts lists them).
      const names = request!.names();
      const absent = NOT_IN_MODEL[a.name] ?? [];
      for (const p of a.params.filter((p) => !absent.includes(p.name) && p.extension !== true)) {
        expect(names[p.name[0]!.toLowerCase() + p.name.slice(1)], `${a.name}.${p.name}`).toBe(p.name);
      }
    }
  });

  it.skipIf(!python)(
    'every action’s Python sample parses (python3 ast), with awkward text in every field',
    () => {
      const sources = catalogue.actions.map((a) => {
        const values = Object.fromEntries(a.params.map((p) => [p.name, `x"'\\\n\t\u0001 é 中 ${p.name}`]));
        return pythonSample({ ...ADD, action: a, values });
      });
      execFileSync('python3', ['-c', 'import ast,json,sys\nfor s in json.load(sys.stdin): ast.parse(s)'], {
        input: JSON.stringify(sources),
      });
    },
  );

  it('every action’s Node samples are valid JavaScript modules (esbuild parses them)', () => {
    for (const a of catalogue.actions) {
      const values = Object.fromEntries(a.params.map((p) => [p.name, `x"'\\\n\u2028 é ${p.name}`]));
      for (const language of ['typescript', 'pop-core'] as const) {
        const code = sample(language, { ...ADD, action: a, values });
        expect(
          () => transformSync(code, { loader: 'ts', format: 'esm' }),
          `${a.name} ${language}`,
        ).not.toThrow();
      }
    }
  });
});

describe('the Node samples run against a listening server', () => {
  let s: TestServer;
  let dir: string;
  beforeAll(async () => {
    s = await startServer();
    dir = mkdtempSync(path.join(tmpdir(), 'cams-samples-run-'));
    // The sample resolves the official SDKs as an installed project would: from its node_modules.
    symlinkSync(path.resolve(import.meta.dirname, '../../node_modules'), path.join(dir, 'node_modules'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await s.close();
  });

  // Asynchronously: the server answers from this process.
  const run = async (file: string, code: string) => {
    writeFileSync(path.join(dir, file), code);
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [file], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 30_000,
        env: {
          PATH: process.env.PATH,
          ALIBABA_CLOUD_ACCESS_KEY_ID: s.root.accessKeyId,
          ALIBABA_CLOUD_ACCESS_KEY_SECRET: s.root.accessKeySecret,
        },
      });
      return { status: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { status: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  };

  const numbers = async () =>
    (
      await camsClient(s, s.root).queryChatappPhoneNumbers(
        new CamsModels.QueryChatappPhoneNumbersRequest({ custSpaceId: s.root.custSpaceId }),
      )
    ).body?.phoneNumbers?.map((n) => n.phoneNumber);

  it.each([
    ['typescript', '13800138101'],
    ['pop-core', '13800138102'],
  ] as const)(
    'the %s sample for AddChatappPhoneNumber answers Code OK and adds the number',
    async (language, phone) => {
      const input: SampleInput = {
        ...ADD,
        values: {
          CustSpaceId: s.root.custSpaceId,
          Cc: '86',
          PhoneNumber: phone,
          VerifiedName: 'Sample Shop',
        },
        endpoint: s.endpoint,
      };
      const result = await run(`${language}.mjs`, sample(language, input));
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const body = JSON.parse(result.stdout) as {
        Code?: string;
        code?: string;
        RequestId?: string;
        requestId?: string;
      };
      expect(body.Code ?? body.code).toBe('OK');
      expect(await numbers()).toContain(`86${phone}`);
    },
  );

  const users = async () =>
    (
      await ramClient(s, s.root).listUsers(new RamModels.ListUsersRequest({ maxItems: 1000 }))
    ).body?.users?.user?.map((u) => u.userName);

  it.each([
    ['typescript', 'sample-ts-user'],
    ['pop-core', 'sample-pop-user'],
  ] as const)(
    'the %s sample for RAM CreateUser answers the user with a RequestId; its ListUsers sample lists it',
    async (language, userName) => {
      const create: SampleInput = {
        ...ADD,
        action: action('CreateUser'),
        values: { UserName: userName, DisplayName: 'Sample User' },
        endpoint: s.endpoint,
      };
      const created = await run(`${language}-create-user.mjs`, sample(language, create));
      expect(created.stderr).toBe('');
      expect(created.status).toBe(0);
      const body = JSON.parse(created.stdout) as Record<string, unknown>;
      // RAM's envelope: the RequestId and the data, no Code (the SDK model names fields in PascalCase or camelCase).
      const user = (body.User ?? body.user) as Record<string, unknown>;
      expect(user.UserName ?? user.userName).toBe(userName);
      expect(user.DisplayName ?? user.displayName).toBe('Sample User');
      expect(String(body.RequestId ?? body.requestId)).toMatch(/^[0-9A-F-]{36}$/i);
      expect(body.Code ?? body.code).toBeUndefined();
      expect(await users()).toContain(userName);

      const list: SampleInput = { ...create, action: action('ListUsers'), values: { MaxItems: '1000' } };
      const listed = await run(`${language}-list-users.mjs`, sample(language, list));
      expect(listed.stderr).toBe('');
      expect(listed.status).toBe(0);
      const page = JSON.parse(listed.stdout) as Record<
        string,
        Record<string, Array<Record<string, unknown>>>
      >;
      const names = (page.Users ?? page.users)!;
      expect((names.User ?? names.user)!.map((u) => u.UserName ?? u.userName)).toContain(userName);
    },
  );

  it('the typescript sample for STS GetCallerIdentity (no request model) answers the calling account', async () => {
    const input: SampleInput = {
      ...ADD,
      action: action('GetCallerIdentity'),
      values: {},
      endpoint: s.endpoint,
    };
    const result = await run('typescript-caller.mjs', sample('typescript', input));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const body = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(body.AccountId ?? body.accountId).toBe(s.root.accountId);
  });
});
