import type { CatalogueAction, CatalogueParam } from './catalogue.js';

/**
 * Code that makes the call the explorer's form describes, with each official client: pure functions of
 * the action, the filled values and the endpoint. The credentials are read from the environment
 * variables the Alibaba Cloud SDKs document (ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET),
 * so no secret is ever written into a sample.
 */
export interface SampleInput {
  readonly action: Pick<CatalogueAction, 'product' | 'version' | 'name' | 'params'>;
  /** Wire name to the value typed; empty values are left out, as the form sends them. */
  readonly values: Readonly<Record<string, string>>;
  /** `host:port` of the service. */
  readonly endpoint: string;
  readonly protocol: 'http' | 'https';
}

export type SampleLanguage = 'typescript' | 'pop-core' | 'python' | 'java';

export const SAMPLE_LANGUAGES: readonly SampleLanguage[] = ['typescript', 'pop-core', 'python', 'java'];

type SdkProduct = Pick<CatalogueAction, 'product' | 'version'>;

/** The official SDK's package stem: product code and Version without dashes (`ram20150501`). */
export const sdkPackage = (a: SdkProduct): string => `${a.product.code}${a.version.replace(/-/g, '')}`;

/** The language's button label, naming the package the sample uses for the action's product. */
export function sampleLabel(language: SampleLanguage, action: SdkProduct): string {
  const stem = sdkPackage(action);
  switch (language) {
    case 'typescript':
      return `TypeScript (@alicloud/${stem})`;
    case 'pop-core':
      return 'Node.js (@alicloud/pop-core)';
    case 'python':
      return `Python (alibabacloud_${stem})`;
    case 'java':
      return `Java (com.aliyun.${stem})`;
  }
}

/**
 * The config class each TypeScript SDK takes: cams20200606 is built on `@alicloud/openapi-client`,
 * ram20150501 and sts20150401 on `@alicloud/openapi-core` (their package.json dependencies).
 */
function openApiConfig(a: SdkProduct): { package: string; import: string; config: string } {
  return a.product.code === 'cams'
    ? {
        package: '@alicloud/openapi-client',
        import: "import * as $OpenApi from '@alicloud/openapi-client';",
        config: '$OpenApi.Config',
      }
    : {
        package: '@alicloud/openapi-core',
        import: "import { $OpenApiUtil } from '@alicloud/openapi-core';",
        config: '$OpenApiUtil.Config',
      };
}

/**
 * The Java SDKs type most integer fields `Long`, but RAM's list page size `MaxItems` `Integer`
 * (com.aliyun.ram20150501.models.ListUsersRequest): a literal must box to the setter's type.
 */
const JAVA_INTEGER_FIELDS: ReadonlySet<string> = new Set(['ram/MaxItems']);

const KEY_ID = 'ALIBABA_CLOUD_ACCESS_KEY_ID';
const KEY_SECRET = 'ALIBABA_CLOUD_ACCESS_KEY_SECRET';

/** A quoted string literal valid in JavaScript, Python and Java alike (JSON's escapes are in all three). */
const quote = (value: string): string => JSON.stringify(value);

const camel = (name: string): string => name[0]!.toLowerCase() + name.slice(1);
const snake = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

const INTEGER = /^-?\d{1,15}$/;

/**
 * An action without parameters (STS GetCallerIdentity) has no request model: its SDK method takes none
 * (`getCallerIdentity(): Promise<GetCallerIdentityResponse>` in @alicloud/sts20150401).
 */
const takesRequest = (input: SampleInput): boolean => input.action.params.length > 0;

/** A `json` parameter holding an array of strings (`Websites`): the SDKs take the array itself. */
function stringArray(value: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) && parsed.every((v) => typeof v === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The filled parameters in the action's declared order (for a typed SDK, those its model has). */
function filled(input: SampleInput, typed = false): Array<{ param: CatalogueParam; value: string }> {
  return input.action.params.flatMap((param) => {
    const value = input.values[param.name];
    if (typed && param.extension === true) return [];
    return value === undefined || value === '' ? [] : [{ param, value }];
  });
}

/**
 * A comment line for a typed SDK's sample when the form holds parameters its model lacks (this service's
 * paging): they are left out, and the pop-core sample sends them.
 */
function leftOut(input: SampleInput, comment: string): string {
  const names = filled(input)
    .filter(({ param }) => param.extension === true)
    .map(({ param }) => param.name);
  return names.length === 0
    ? ''
    : `${comment} ${names.join(', ')}: not in the SDK's model, so this client cannot send them (the pop-core sample does).\n`;
}

/**
 * A model field's literal: a number for `integer`, a boolean for `boolean`, an array for a `json`
 * array, a string otherwise.
 */
function literal(
  { param, value }: { param: CatalogueParam; value: string },
  forms: {
    integer: (v: string) => string;
    list: (items: string[]) => string;
    boolean?: (v: boolean) => string;
  },
): string {
  if (param.type === 'integer' && INTEGER.test(value)) return forms.integer(value);
  if (param.type === 'boolean' && (value === 'true' || value === 'false')) {
    return (forms.boolean ?? String)(value === 'true');
  }
  const items = param.type === 'json' ? stringArray(value) : undefined;
  if (items !== undefined) return forms.list(items);
  return quote(value);
}

const JS_FORMS = { integer: (v: string) => v, list: (items: string[]) => `[${items.map(quote).join(', ')}]` };

/**
 * `@alicloud/cams20200606` with `@alicloud/openapi-client`, `@alicloud/ram20150501` or
 * `@alicloud/sts20150401` with `@alicloud/openapi-core`: TypeScript that is also plain ES module JavaScript.
 */
export function typescriptSample(input: SampleInput): string {
  const fields = filled(input, true)
    .map((f) => `    ${camel(f.param.name)}: ${literal(f, JS_FORMS)},`)
    .join('\n');
  const name = input.action.name;
  const cls = input.action.product.name;
  const pkg = `@alicloud/${sdkPackage(input.action)}`;
  const openApi = openApiConfig(input.action);
  const call = takesRequest(input)
    ? `client.${camel(name)}(
  new $${cls}.${name}Request({
${fields}
  }),
)`
    : `client.${camel(name)}()`;
  return `// npm install ${pkg} ${openApi.package}
import ${takesRequest(input) ? `${cls}, * as $${cls}` : cls} from '${pkg}';
${openApi.import}

${leftOut(input, '//')}const client = new ${cls}.default(
  new ${openApi.config}({
    accessKeyId: process.env.${KEY_ID},
    accessKeySecret: process.env.${KEY_SECRET},
    endpoint: ${quote(input.endpoint)},
    protocol: ${quote(input.protocol)},
  }),
);
const response = await ${call};
console.log(JSON.stringify(response.body, null, 2));
`;
}

/** `@alicloud/pop-core` (signature V1): the wire names and string values, as the RPC client sends them. */
export function popCoreSample(input: SampleInput): string {
  const params = filled(input)
    .map(({ param, value }) => `    ${param.name}: ${quote(value)},`)
    .join('\n');
  return `// npm install @alicloud/pop-core
import RPCClient from '@alicloud/pop-core';

const client = new RPCClient({
  accessKeyId: process.env.${KEY_ID},
  accessKeySecret: process.env.${KEY_SECRET},
  endpoint: ${quote(`${input.protocol}://${input.endpoint}`)},
  apiVersion: ${quote(input.action.version)},
});
const result = await client.request(
  ${quote(input.action.name)},
  {
${params}
  },
  { method: 'POST' },
);
console.log(JSON.stringify(result, null, 2));
`;
}

/** `alibabacloud_<product><version>` with `alibabacloud_tea_openapi` (snake_case fields and methods). */
export function pythonSample(input: SampleInput): string {
  const fields = filled(input, true)
    .map(
      (f) =>
        `    ${snake(f.param.name)}=${literal(f, {
          integer: (v) => v,
          list: (items) => `[${items.map(quote).join(', ')}]`,
          boolean: (v) => (v ? 'True' : 'False'),
        })},`,
    )
    .join('\n');
  const name = input.action.name;
  const pkg = `alibabacloud_${sdkPackage(input.action)}`;
  const models = `${input.action.product.code}_models`;
  return `# pip install ${pkg}
import os

from ${pkg}.client import Client
${takesRequest(input) ? `from ${pkg} import models as ${models}\n` : ''}from alibabacloud_tea_openapi import models as open_api_models

config = open_api_models.Config(
    access_key_id=os.environ["${KEY_ID}"],
    access_key_secret=os.environ["${KEY_SECRET}"],
    endpoint=${quote(input.endpoint)},
    protocol=${quote(input.protocol)},
)
client = Client(config)
${leftOut(input, '#')}${
    takesRequest(input)
      ? `request = ${models}.${name}Request(
${fields}
)
response = client.${snake(name)}(request)`
      : `response = client.${snake(name)}()`
  }
print(response.body.to_map())
`;
}

/** `com.aliyun.<product><version>` with `com.aliyun.teaopenapi` (fluent setters; integers mostly Long). */
export function javaSample(input: SampleInput): string {
  const code = input.action.product.code;
  const setters = filled(input, true)
    .map(
      (f) =>
        `            .set${f.param.name}(${literal(f, {
          integer: (v) => (JAVA_INTEGER_FIELDS.has(`${code}/${f.param.name}`) ? v : `${v}L`),
          list: (items) => `java.util.Arrays.asList(${items.map(quote).join(', ')})`,
        })})`,
    )
    .join('\n');
  const name = input.action.name;
  const pkg = sdkPackage(input.action);
  return `// Maven: com.aliyun:${pkg}
import com.aliyun.${pkg}.Client;
${takesRequest(input) ? `import com.aliyun.${pkg}.models.${name}Request;\n` : ''}import com.aliyun.${pkg}.models.${name}Response;
import com.aliyun.teaopenapi.models.Config;

public class Sample {
    public static void main(String[] args) throws Exception {
        Config config = new Config()
            .setAccessKeyId(System.getenv("${KEY_ID}"))
            .setAccessKeySecret(System.getenv("${KEY_SECRET}"))
            .setEndpoint(${quote(input.endpoint)})
            .setProtocol(${quote(input.protocol)});
        Client client = new Client(config);
${leftOut(input, '        //')}${
    takesRequest(input)
      ? `        ${name}Request request = new ${name}Request()
${setters};
        ${name}Response response = client.${camel(name)}(request);`
      : `        ${name}Response response = client.${camel(name)}();`
  }
        System.out.println(com.aliyun.teautil.Common.toJSONString(response.body));
    }
}
`;
}

export function sample(language: SampleLanguage, input: SampleInput): string {
  switch (language) {
    case 'typescript':
      return typescriptSample(input);
    case 'pop-core':
      return popCoreSample(input);
    case 'python':
      return pythonSample(input);
    case 'java':
      return javaSample(input);
  }
}
