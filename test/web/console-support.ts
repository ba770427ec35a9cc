import type { TestServer } from '../support/server.js';

export const OPERATOR_TOKEN = 'console-test-operator-token-0123456789';

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** A console client as a browser page is one: its cookie, its CSRF token, its Origin. */
export class ConsoleClient {
  cookie: string | undefined;
  csrf: string | undefined;
  constructor(
    readonly s: TestServer,
    /** Sent as X-Forwarded-For (the server trusts the proxy): each client its own source address. */
    readonly address: string,
  ) {}

  get origin(): string {
    return `http://${this.s.endpoint}`;
  }

  async call(
    method: string,
    path: string,
    body?: unknown,
    extra: { origin?: string | null; csrf?: string | null; cookie?: string | null } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { 'x-forwarded-for': this.address };
    const origin = extra.origin === undefined ? this.origin : extra.origin;
    if (origin !== null) headers.origin = origin;
    const csrf = extra.csrf === undefined ? this.csrf : extra.csrf;
    if (csrf !== null && csrf !== undefined) headers['x-console-csrf'] = csrf;
    const cookie = extra.cookie === undefined ? this.cookie : extra.cookie;
    if (cookie !== null && cookie !== undefined) headers.cookie = cookie;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`http://${this.s.endpoint}/console/api/${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
    };
  }

  async signIn(token = OPERATOR_TOKEN): Promise<Answer> {
    const answer = await this.call('POST', 'session', { token }, { cookie: null, csrf: null });
    const setCookie = answer.headers.get('set-cookie');
    if (answer.status === 201 && setCookie !== null) {
      this.cookie = setCookie.split(';')[0];
      this.csrf = String(answer.body.csrfToken);
    }
    return answer;
  }
}
