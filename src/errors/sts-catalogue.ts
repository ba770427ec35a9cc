/**
 * The STS API's own errors (version 2015-04-01), spelled as Alibaba's STS spells them (its AssumeRole error list):
 * a part of the error catalogue (catalogue.ts spreads it in), kept apart so the STS codes are read
 * together. The role that does not exist is RAM's `EntityNotExist.Role` (ram-catalogue.ts).
 */
export const STS_CATALOGUE = {
  'InvalidParameter.RoleArn': {
    status: 400,
    message: 'The parameter RoleArn is wrongly formed.',
    source: 'sts',
    description: 'RoleArn is not `acs:ram::<account ID>:role/<role name>`. Nothing was issued.',
  },
  'InvalidParameter.RoleSessionName': {
    status: 400,
    message: 'The parameter RoleSessionName is wrongly formed.',
    source: 'sts',
    description: 'RoleSessionName is not 2 to 64 of letters, digits, `.`, `@`, `-`, `_`. Nothing was issued.',
  },
  'InvalidParameter.DurationSeconds': {
    status: 400,
    message: 'The Min/Max value of DurationSeconds is 15min/1hr.',
    source: 'sts',
    description:
      "DurationSeconds is not an integer from 900 to the role's MaxSessionDuration (the message names the maximum). Nothing was issued.",
  },
  'InvalidParameter.PolicyGrammar': {
    status: 400,
    message: 'The parameter Policy has not passed grammar check.',
    source: 'sts',
    description:
      'The session Policy of AssumeRole is not a valid policy document; the message lists every problem.',
  },
} as const;
