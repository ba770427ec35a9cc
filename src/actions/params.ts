import type { ParamSpec } from './spec.js';

/** Parameter declarations shared by several actions (cams-api.md §1.3). */
export const custSpaceId = (required = true): ParamSpec => ({
  name: 'CustSpaceId',
  type: 'string',
  required,
  maxLength: 64,
  description: required
    ? 'Space ID of the ISV sub-customer.'
    : "Space ID of the ISV sub-customer; the account's only space when absent.",
});

export const phoneNumber: ParamSpec = {
  name: 'PhoneNumber',
  type: 'string',
  required: true,
  maxLength: 32,
  description: 'The phone number with its country code, digits only. Example: 8613800138000.',
};

export const yesNo = (name: string, description: string): ParamSpec => ({
  name,
  type: 'string',
  required: false,
  enum: ['Y', 'N'],
  description,
});

/** The wire input of actions addressed to one number. */
export const numberRef = (p: Readonly<Record<string, string | undefined>>) => ({
  custSpaceId: p.CustSpaceId ?? '',
  phoneNumber: p.PhoneNumber ?? '',
});
