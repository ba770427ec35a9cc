import { defineAction } from './spec.js';

/** cams-api.md §1.3 IsvGetAppId: the Meta app for Embedded Signup. */
export default defineAction({
  name: 'IsvGetAppId',
  summary: 'Gets the Meta App ID and Embedded Signup configuration ID for an ISV.',
  ramAction: 'cams:IsvGetAppId',
  accessLevel: 'get',
  qps: 10,
  params: [
    {
      name: 'Type',
      type: 'string',
      required: true,
      enum: ['whatsapp'],
      description: 'Channel type: whatsapp.',
    },
    {
      name: 'Permissions',
      type: 'string',
      required: false,
      maxLength: 512,
      description: 'Requested permissions. Accepted and not checked.',
    },
    {
      name: 'IntlVersion',
      type: 'string',
      required: false,
      maxLength: 8,
      description: 'Accepted and not checked.',
    },
  ],
  limitations: ['AppId and ConfigId come from the configuration (CAMS_META_APP_ID, CAMS_META_CONFIG_ID).'],
  toInput: () => ({}),
  handler: async (_input, ctx) => {
    const { appId, configId } = ctx.services.wabas.appId();
    return { AppId: appId, ConfigId: configId };
  },
});
