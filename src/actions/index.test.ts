import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CAMS_ACTIONS } from './cams-actions.js';
import { ACTIONS } from './index.js';

// Action files are named exactly like their Action (PascalCase); everything else here is kebab-case.
const ACTION_FILE = /^[A-Z][A-Za-z]+\.ts$/;

describe('the action registry', () => {
  it('holds every action file of this folder, each under the name its file has', async () => {
    const files = readdirSync(new URL('.', import.meta.url)).filter((f) => ACTION_FILE.test(f));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const spec = ((await import(`./${file}`)) as { default: { name: string } }).default;
      expect(spec.name, file).toBe(file.replace(/\.ts$/, ''));
      expect(ACTIONS.get(spec.name), `${file} is not in ACTIONS (src/actions/index.ts)`).toBe(spec);
    }
    expect(ACTIONS.size).toBe(files.length);
  });

  it('implements only actions of CAMS 2020-06-06', () => {
    for (const name of ACTIONS.keys()) expect(CAMS_ACTIONS).toContain(name);
  });

  it('declares which actions write (the audit trail records every write, reads only when denied)', () => {
    const writes = [...ACTIONS.values()].filter((a) => a.writes).map((a) => a.name);
    // A deliberate list: a new action must be placed on one side or the other, here.
    expect(writes.sort()).toEqual([
      'AddChatappPhoneNumber',
      'ChatappBindWaba',
      'ChatappEmbedSignUp',
      'ChatappPhoneNumberDeregister',
      'ChatappPhoneNumberRegister',
      'ChatappSyncPhoneNumber',
      'ChatappVerifyAndRegister',
      'GetChatappVerifyCode',
      'GetPreValidatePhoneId',
      'ModifyPhoneBusinessProfile',
      'UpdateAccountWebhook',
      'UpdatePhoneWebhook',
    ]);
    // Every RAM write level is a write here; the reverse does not hold (a verification code is sent by a Get).
    for (const a of ACTIONS.values())
      if (['update', 'create', 'delete'].includes(a.accessLevel)) expect(a.writes, a.name).toBe(true);
  });
});
