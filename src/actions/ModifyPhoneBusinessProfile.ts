import { invalidParameter } from '../errors/index.js';
import { unacceptableText } from '../domain/text.js';
import { BUSINESS_VERTICALS } from '../upstream/provider.js';
import { custSpaceId, numberRef, phoneNumber } from './params.js';
import { defineAction } from './spec.js';

/** `Websites` arrives as one JSON string, e.g. `["https://a.com"]` (cams-api.md §1.3). */
function websites(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalidParameter('Websites', 'expected a JSON array of URLs, such as ["https://example.com"].');
  }
  if (!Array.isArray(parsed) || !parsed.every((w) => typeof w === 'string')) {
    throw invalidParameter('Websites', 'expected a JSON array of URL strings.');
  }
  // JSON escapes (`\uFFFF`) reach characters the raw parameter's own check never saw.
  for (const website of parsed as string[]) {
    const refused = unacceptableText(website);
    if (refused !== undefined) throw invalidParameter('Websites', refused);
  }
  return parsed as string[];
}

/** Every parameter of this action is a query parameter in the SDK (reference/cams-api.md §1.3). */
const optional = (name: string, maxLength: number, description: string) =>
  ({ name, type: 'string', required: false, location: 'query', maxLength, description }) as const;

/** cams-api.md §1.3 -> Meta `POST /{id}/whatsapp_business_profile`. */
export default defineAction({
  name: 'ModifyPhoneBusinessProfile',
  summary: 'Modifies the WhatsApp business profile of a phone number; only the given fields change.',
  ramAction: 'cams:ModifyPhoneBusinessProfile',
  accessLevel: 'update',
  writes: true,
  qps: 10,
  successMessage: 'SUCCESS',
  params: [
    custSpaceId('query'),
    phoneNumber('query'),
    optional('Address', 256, 'Business address (at most 256 characters).'),
    optional('Description', 512, 'Business description (at most 512 characters).'),
    {
      name: 'Vertical',
      type: 'string',
      required: false,
      location: 'query',
      enum: BUSINESS_VERTICALS,
      description: 'Industry.',
    },
    optional('Email', 128, 'Contact email.'),
    optional('ProfilePictureUrl', 1024, 'URL of the profile picture.'),
    {
      // The SDK's `websites` is a string array it sends as one JSON string (`websitesShrink`, style "json").
      name: 'Websites',
      type: 'json',
      required: false,
      location: 'query',
      maxLength: 1024,
      description: 'JSON array of at most 2 website URLs.',
    },
    optional('About', 139, 'The "About" text (at most 139 characters).'),
  ],
  limitations: [],
  toInput: (p) => ({
    ref: numberRef(p),
    patch: {
      address: p.Address,
      description: p.Description,
      vertical: p.Vertical,
      email: p.Email,
      profilePictureUrl: p.ProfilePictureUrl,
      websites: websites(p.Websites),
      about: p.About,
    },
  }),
  handler: async (input, ctx) => {
    const patch = Object.fromEntries(Object.entries(input.patch).filter(([, v]) => v !== undefined));
    await ctx.services.settings.modifyProfile(ctx.accountId, input.ref, patch);
    return {};
  },
});
