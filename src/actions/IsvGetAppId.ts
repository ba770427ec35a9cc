import { defineAction } from './spec.js';

/** cams-api.md §1.3 IsvGetAppId: the Meta app for Embedded Signup. */
export default defineAction({
  name: 'IsvGetAppId',
  summary: 'Gets the Meta App ID and Embedded Signup configuration ID for an ISV.',
  ramAction: 'cams:IsvGetAppId',
  accessLevel: 'get',
  writes: false,
  qps: 10,
  params: [
    {
      name: 'Type',
      type: 'string',
      required: true,
      location: 'body',
      enum: ['whatsapp'],
      description: 'Channel type: whatsapp.',
    },
    {
      name: 'Permissions',
      type: 'string',
      required: false,
      location: 'body',
      maxLength: 512,
      description: 'Requested permissions. Accepted and not checked.',
    },
    {
      // Not in @alicloud/cams20200606 1.4.2; newer SDKs send it, in the query (reference/cams-api.md §1.5).
      name: 'IntlVersion',
      type: 'string',
      required: false,
      location: 'query',
      maxLength: 8,
      description: 'Sent by SDKs newer than 1.4.2, in the query. Accepted and not checked.',
    },
  ],
  limitations: [
    "AppId and ConfigId come from the configuration (CAMS_META_APP_ID, CAMS_META_CONFIG_ID). When they are unset, the simulator answers its own IDs, marked `sim-app-…` and `sim-config-…`; with Meta's Graph API as upstream the action answers `EmbeddedSignup.NotConfigured`.",
  ],
  toInput: () => ({}),
  handler: async (_input, ctx) => {
    const { appId, configId } = ctx.services.wabas.appId();
    return { AppId: appId, ConfigId: configId };
  },
});
