import type { Logger } from 'pino';
import type { PhoneNumberChange } from './phone-number-events.js';

/** What the notifier needs of the webhook subsystem. */
export interface EventSink {
  enqueue(
    accountId: string,
    event: { url: string; type: string; data: Record<string, unknown> },
  ): Promise<unknown>;
}

export const PHONE_NUMBER_EVENT = 'PhoneNumberStatus';

const CAMS_NAMES = {
  status: 'Status',
  codeVerificationStatus: 'CodeVerificationStatus',
  nameStatus: 'NameStatus',
  newNameStatus: 'NewNameStatus',
} as const;

/**
 * Turns a persisted change of a number's status, verification or display-name status into a webhook
 * event to the number's StatusCallbackUrl (UpdatePhoneWebhook), else its space's (UpdateAccountWebhook).
 * HttpFlag N on the number (or, for the space URL, on the space) switches delivery off.
 */
export function webhookNotifier(sink: EventSink, log: Logger) {
  return async ({ space, before, after, fields }: PhoneNumberChange): Promise<void> => {
    const own = after.statusCallbackUrl !== '';
    const url = own ? after.statusCallbackUrl : space.statusCallbackUrl;
    const httpFlag = own ? after.httpFlag : space.httpFlag;
    if (url === '' || httpFlag === 'N') return;
    const data = {
      CustSpaceId: space.id,
      PhoneNumber: after.e164,
      Status: after.status,
      CodeVerificationStatus: after.codeVerificationStatus,
      NameStatus: after.nameStatus,
      NewNameStatus: after.newNameStatus,
      // Why the display name was declined (cams-api.md §1.3): only while NameStatus is Rejected.
      ...(after.nameStatus === 'Rejected' && after.nameRejectionReason !== ''
        ? { NameRejectionReason: after.nameRejectionReason }
        : {}),
      ChangedFields: fields.map((f) => CAMS_NAMES[f]),
      Previous: Object.fromEntries(fields.map((f) => [CAMS_NAMES[f], before[f]])),
    };
    try {
      await sink.enqueue(after.accountId, { url, type: PHONE_NUMBER_EVENT, data });
    } catch (error) {
      // A URL that became undeliverable must not fail the action that changed the number.
      log.warn({ err: error, custSpaceId: space.id }, 'webhook event not enqueued');
    }
  };
}
