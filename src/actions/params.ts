import type { ParamLocation, ParamSpec } from './spec.js';

/**
 * Parameter declarations shared by several actions (cams-api.md §1.3). The location is an
 * argument: the same parameter is a query parameter of some actions and a body parameter of others.
 */
export const custSpaceId = (location: ParamLocation, required = true): ParamSpec => ({
  name: 'CustSpaceId',
  type: 'string',
  required,
  location,
  maxLength: 64,
  description: required
    ? 'Space ID of the ISV sub-customer.'
    : "Space ID of the ISV sub-customer; the account's only space when absent.",
});

export const phoneNumber = (location: ParamLocation): ParamSpec => ({
  name: 'PhoneNumber',
  type: 'string',
  required: true,
  location,
  maxLength: 32,
  description: 'The phone number with its country code, digits only. Example: 8613800138000.',
});

export const yesNo = (name: string, location: ParamLocation, description: string): ParamSpec => ({
  name,
  type: 'string',
  required: false,
  location,
  enum: ['Y', 'N'],
  description,
});

/**
 * The lifecycle actions' `PhoneNumber` (`8613800138000`, `+8613800138000` or `008613800138000`) as the
 * domain's one meaning of a phone number: its E.164 digits, country code first, without `+`.
 */
export function e164Param(value: string): string {
  return value.trim().replace(/^\+/, '').replace(/^00/, '');
}

/** The wire input of actions addressed to one number. */
export const numberRef = (p: Readonly<Record<string, string | undefined>>) => ({
  custSpaceId: p.CustSpaceId ?? '',
  e164: e164Param(p.PhoneNumber ?? ''),
});
