/** The explorer's sample code (web/explorer/samples.ts): its forms, and the Node samples run for real. */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { transformSync } from 'esbuild';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/actions/index.js';
import { actionCatalogue } from '../../src/web/explorer/action-catalogue.js';
import {
  javaSample,
  popCoreSample,
  pythonSample,
  sample,
  typescriptSample,
  type SampleInput,
} from '../../web/explorer/samples.js';
import { camsClient, CamsModels, startServer, type TestServer } from '../support/server.js';

const catalogue = actionCatalogue(ACTIONS, '2020-06-06');
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
});
