import { fail } from '../errors/index.js';
import type { IamRepo, PolicyAttachment } from '../store/iam-repo.js';
import { SYSTEM_POLICIES } from './policy/index.js';

/**
 * A policy named on the RAM API (PolicyType + PolicyName), checked to exist: a system policy of
 * SYSTEM_POLICIES or a custom policy of the account. InvalidParameter.PolicyType for another type,
 * EntityNotExist.Policy for a name that type has not.
 */
export async function policyRef(
  repo: IamRepo,
  accountId: string,
  policyType: string,
  policyName: string,
): Promise<PolicyAttachment & { description: string; document: string }> {
  if (policyType === 'System') {
    const system = SYSTEM_POLICIES.find((p) => p.name === policyName);
    if (system === undefined)
      throw fail('EntityNotExist.Policy', `The policy does not exist: System ${policyName}.`);
    return { policyType, policyName, description: system.description, document: system.document };
  }
  if (policyType !== 'Custom') throw fail('InvalidParameter.PolicyType');
  const custom = await repo.getCustomPolicy(accountId, policyName);
  if (custom === undefined)
    throw fail('EntityNotExist.Policy', `The policy does not exist: Custom ${policyName}.`);
  return { policyType, policyName, description: custom.description, document: custom.document };
}
