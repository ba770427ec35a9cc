import type { LifecycleService } from '../../domain/lifecycle.js';
import type { PhoneNumberService } from '../../domain/phone-numbers.js';
import type { SpaceAdmin } from '../../domain/spaces.js';
import type { IamService } from '../../iam/iam-service.js';
import type { Operator } from '../../operator/operator.js';
import type { WebhookAttempt, WebhookEventFilter, WebhookEventRecord } from '../../webhooks/index.js';

/**
 * What the console works with: the same services the CLI (cli/admin.ts, cli/operator-commands.ts)
 * and the gateway's actions use, so every rule has one home. The composition root hands them over.
 */
export interface ConsoleServices {
  readonly iam: IamService;
  readonly spaces: SpaceAdmin;
  readonly phoneNumbers: PhoneNumberService;
  readonly lifecycle: LifecycleService;
  readonly operator: Operator;
  readonly webhooks: {
    listEvents(accountId: string, filter?: WebhookEventFilter): Promise<WebhookEventRecord[]>;
    listAttempts(accountId: string, eventId: string): Promise<WebhookAttempt[] | undefined>;
    redeliver(accountId: string, eventId: string): Promise<boolean>;
  };
  /** Whether a space has its own Meta token (never the token). */
  hasOwnToken(accountId: string, custSpaceId: string): Promise<boolean>;
}
