import type { App } from '../main.js';

/** Where the CLI writes; tests pass buffers, the binary passes process streams. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Standard output is a terminal (a person reads it), not a pipe or a log shipper. */
  readonly interactive?: boolean;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  interactive: process.stdout.isTTY === true,
};

/** Prints `value` as JSON with --json, else as aligned columns of the chosen fields. */
export function print(io: CliIo, json: boolean, value: unknown, columns?: string[]): void {
  if (json) {
    io.out(`${JSON.stringify(value, null, 2)}\n`);
    return;
  }
  const rows = (Array.isArray(value) ? value : [value]) as Array<Record<string, unknown>>;
  if (rows.length === 0) {
    io.out('(none)\n');
    return;
  }
  const cols = columns ?? Object.keys(rows[0]!);
  const cell = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  io.out(`${line(cols)}\n${rows.map((r) => line(cols.map((c) => cell(r[c])))).join('\n')}\n`);
}

/** What a write verb may tell the audit trail that its options do not: the id it created. */
export interface CliAuditNote {
  readonly accountId?: string;
  readonly accessKeyId?: string;
  readonly custSpaceId?: string;
}

/** Wraps a CLI action so it runs with an opened App, closed afterwards. */
export type WithApp = <T extends unknown[]>(
  // A write verb may return what the audit trail should name that its options do not (cli/audit-commands.ts).
  fn: (app: App, ...args: T) => Promise<void | CliAuditNote>,
) => (...args: T) => Promise<void>;
