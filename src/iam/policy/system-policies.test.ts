import { describe, expect, it } from 'vitest';
import { SYSTEM_POLICIES, systemPolicy } from './system-policies.js';

describe('system policies (cams-api.md §4.5)', () => {
  it('reproduces the documents exactly as Alibaba defines them', () => {
    expect(SYSTEM_POLICIES.map((p) => [p.name, p.document])).toEqual([
      [
        'AliyunCamsFullAccess',
        '{"Version":"1","Statement":[{"Action":"cams:*","Effect":"Allow","Resource":"*"}]}',
      ],
      [
        'AliyunCamsReadOnlyAccess',
        '{"Version":"1","Statement":[{"Action":["cams:Get*","cams:List*"],"Effect":"Allow","Resource":"*"}]}',
      ],
      [
        'AliyunRAMFullAccess',
        '{"Version":"1","Statement":[{"Action":"ram:*","Effect":"Allow","Resource":"*"}]}',
      ],
      [
        'AliyunRAMReadOnlyAccess',
        '{"Version":"1","Statement":[{"Action":["ram:Get*","ram:List*"],"Effect":"Allow","Resource":"*"}]}',
      ],
      [
        'AliyunSTSAssumeRoleAccess',
        '{"Version":"1","Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Resource":"*"}]}',
      ],
    ]);
  });

  it('parses every system policy into a System NamedPolicy', () => {
    for (const { name } of SYSTEM_POLICIES) {
      const policy = systemPolicy(name);
      expect(policy?.type).toBe('System');
      expect(policy?.name).toBe(name);
      expect(policy?.policy.statements.length).toBeGreaterThan(0);
    }
  });

  it('returns undefined for an unknown or differently cased name', () => {
    expect(systemPolicy('AdministratorAccess')).toBeUndefined();
    expect(systemPolicy('aliyuncamsfullaccess')).toBeUndefined();
  });

  it('hands out a fresh object each time', () => {
    expect(systemPolicy('AliyunCamsFullAccess')).not.toBe(systemPolicy('AliyunCamsFullAccess'));
  });
});
