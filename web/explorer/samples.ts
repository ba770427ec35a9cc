import type { CatalogueAction, CatalogueParam } from './catalogue.js';

/**
 * Code that makes the call the explorer's form describes, with each official client: pure functions of
 * the action, the filled values and the endpoint. The credentials are read from the environment
 * variables the Alibaba Cloud SDKs document (ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET),
 * so no secret is ever written into a sample.
 */
export interface SampleInput {
  readonly action: Pick<CatalogueAction, 'name' | 'params'>;
  /** Wire name to the value typed; empty values are left out, as the form sends them. */
  readonly values: Readonly<Record<string, string>>;
  /** `host:port` of the service. */
  readonly endpoint: string;
  readonly protocol: 'http' | 'https';
}

export type SampleLanguage = 'typescript' | 'pop-core' | 'python' | 'java';

export const SAMPLE_LABELS: Readonly<Record<SampleLanguage, string>> = {
  typescript: 'TypeScript (@alicloud/cams20200606)',
  'pop-core': 'Node.js (@alicloud/pop-core)',
  python: 'Python (alibabacloud_cams20200606)',
  java: 'Java (com.aliyun.cams20200606)',
};

const KEY_ID = 'ALIBABA_CLOUD_ACCESS_KEY_ID';
const KEY_SECRET = 'ALIBABA_CLOUD_ACCESS_KEY_SECRET';

/** A quoted string literal valid in JavaScript, Python and Java alike (JSON's escapes are in all three). */
const quote = (value: string): string => JSON.stringify(value);

const camel = (name: string): string => name[0]!.toLowerCase() + name.slice(1);
const snake = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

const INTEGER = /^-?\d{1,15}$/;

/** A `json` parameter holding an array of strings (`Websites`): the SDKs take the array itself. */
function stringArray(value: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) && parsed.every((v) => typeof v === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The filled parameters in the action's declared order. */
function filled(input: SampleInput): Array<{ param: CatalogueParam; value: string }> {
  return input.action.params.flatMap((param) => {
    const value = input.values[param.name];
    return value === undefined || value === '' ? [] : [{ param, value }];
  });
}

/** A model field's literal: a number for `integer`, an array for a `json` array, a string otherwise. */
function literal(
  { param, value }: { param: CatalogueParam; value: string },
  forms: { integer: (v: string) => string; list: (items: string[]) => string },
): string {
  if (param.type === 'integer' && INTEGER.test(value)) return forms.integer(value);
  const items = param.type === 'json' ? stringArray(value) : undefined;
  if (items !== undefined) return forms.list(items);
  return quote(value);
}

const JS_FORMS = { integer: (v: string) => v, list: (items: string[]) => `[${items.map(quote).join(', ')}]` };

/** `@alicloud/cams20200606` with `@alicloud/openapi-client`: TypeScript that is also plain ES module JavaScript. */
export function typescriptSample(input: SampleInput): string {
  const fields = filled(input)
    .map((f) => `    ${camel(f.param.name)}: ${literal(f, JS_FORMS)},`)
    .join('\n');
  const name = input.action.name;
  return `// npm install @alicloud/cams20200606 @alicloud/openapi-client
import Cams, * as $Cams from '@alicloud/cams20200606';
import * as $OpenApi from '@alicloud/openapi-client';

const client = new Cams.default(
  new $OpenApi.Config({
    accessKeyId: process.env.${KEY_ID},
    accessKeySecret: process.env.${KEY_SECRET},
    endpoint: ${quote(input.endpoint)},
    protocol: ${quote(input.protocol)},
  }),
);
const response = await client.${camel(name)}(
  new $Cams.${name}Request({
${fields}
  }),
);
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
  apiVersion: '2020-06-06',
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

/** `alibabacloud_cams20200606` with `alibabacloud_tea_openapi` (snake_case fields and methods). */
export function pythonSample(input: SampleInput): string {
  const fields = filled(input)
    .map(
      (f) =>
        `    ${snake(f.param.name)}=${literal(f, { integer: (v) => v, list: (items) => `[${items.map(quote).join(', ')}]` })},`,
    )
    .join('\n');
  const name = input.action.name;
  return `# pip install alibabacloud_cams20200606
import os

from alibabacloud_cams20200606.client import Client
from alibabacloud_cams20200606 import models as cams_models
from alibabacloud_tea_openapi import models as open_api_models

config = open_api_models.Config(
    access_key_id=os.environ["${KEY_ID}"],
    access_key_secret=os.environ["${KEY_SECRET}"],
    endpoint=${quote(input.endpoint)},
    protocol=${quote(input.protocol)},
)
client = Client(config)
request = cams_models.${name}Request(
${fields}
)
response = client.${snake(name)}(request)
print(response.body.to_map())
`;
}

/** `com.aliyun.cams20200606` with `com.aliyun.teaopenapi` (fluent setters; integers are Long). */
export function javaSample(input: SampleInput): string {
  const setters = filled(input)
    .map(
      (f) =>
        `            .set${f.param.name}(${literal(f, {
          integer: (v) => `${v}L`,
          list: (items) => `java.util.Arrays.asList(${items.map(quote).join(', ')})`,
        })})`,
    )
    .join('\n');
  const name = input.action.name;
  return `// Maven: com.aliyun:cams20200606
import com.aliyun.cams20200606.Client;
import com.aliyun.cams20200606.models.${name}Request;
import com.aliyun.cams20200606.models.${name}Response;
import com.aliyun.teaopenapi.models.Config;

public class Sample {
    public static void main(String[] args) throws Exception {
        Config config = new Config()
            .setAccessKeyId(System.getenv("${KEY_ID}"))
            .setAccessKeySecret(System.getenv("${KEY_SECRET}"))
            .setEndpoint(${quote(input.endpoint)})
            .setProtocol(${quote(input.protocol)});
        Client client = new Client(config);
        ${name}Request request = new ${name}Request()
${setters};
        ${name}Response response = client.${camel(name)}(request);
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
