import AddChatappPhoneNumber from './AddChatappPhoneNumber.js';
import QueryChatappPhoneNumbers from './QueryChatappPhoneNumbers.js';
import type { ActionSpec } from './spec.js';

/** Every implemented wire action, by its Action name. */
export const ACTIONS: ReadonlyMap<string, ActionSpec<unknown>> = new Map(
  [AddChatappPhoneNumber, QueryChatappPhoneNumbers].map((a) => [a.name, a]),
);

export const API_VERSION = '2020-06-06';
