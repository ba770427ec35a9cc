import AddChatappPhoneNumber from './AddChatappPhoneNumber.js';
import QueryChatappPhoneNumbers from './QueryChatappPhoneNumbers.js';
import GetChatappVerifyCode from './GetChatappVerifyCode.js';
import ChatappVerifyAndRegister from './ChatappVerifyAndRegister.js';
import ChatappPhoneNumberRegister from './ChatappPhoneNumberRegister.js';
import ChatappPhoneNumberDeregister from './ChatappPhoneNumberDeregister.js';
import GetPhoneNumberVerificationStatus from './GetPhoneNumberVerificationStatus.js';
import ChatappSyncPhoneNumber from './ChatappSyncPhoneNumber.js';
import QueryPhoneBusinessProfile from './QueryPhoneBusinessProfile.js';
import ModifyPhoneBusinessProfile from './ModifyPhoneBusinessProfile.js';
import UpdatePhoneWebhook from './UpdatePhoneWebhook.js';
import UpdateAccountWebhook from './UpdateAccountWebhook.js';
import QueryChatappBindWaba from './QueryChatappBindWaba.js';
import ChatappBindWaba from './ChatappBindWaba.js';
import IsvGetAppId from './IsvGetAppId.js';
import GetPreValidatePhoneId from './GetPreValidatePhoneId.js';
import ChatappEmbedSignUp from './ChatappEmbedSignUp.js';
import GetChatappPhoneNumberMetric from './GetChatappPhoneNumberMetric.js';
import type { ActionSpec } from './spec.js';

/** Every implemented wire action, by its Action name (one file each, named like the Action). */
export const ACTIONS: ReadonlyMap<string, ActionSpec<unknown>> = new Map(
  [
    AddChatappPhoneNumber,
    QueryChatappPhoneNumbers,
    GetChatappVerifyCode,
    ChatappVerifyAndRegister,
    ChatappPhoneNumberRegister,
    ChatappPhoneNumberDeregister,
    GetPhoneNumberVerificationStatus,
    ChatappSyncPhoneNumber,
    QueryPhoneBusinessProfile,
    ModifyPhoneBusinessProfile,
    UpdatePhoneWebhook,
    UpdateAccountWebhook,
    QueryChatappBindWaba,
    ChatappBindWaba,
    IsvGetAppId,
    GetPreValidatePhoneId,
    ChatappEmbedSignUp,
    GetChatappPhoneNumberMetric,
  ].map((a) => [a.name, a as ActionSpec<unknown>]),
);

export const API_VERSION = '2020-06-06';
