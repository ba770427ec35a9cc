import type { Migrations } from '../../store/index.js';
import * as webhooks from './003-webhooks.js';
import * as attempts from './015-console-sessions.js';

/** The webhook outbox's tables (tables.ts), in the service's one migration history (store/migrate.ts). */
export const WEBHOOK_MIGRATIONS: Migrations = {
  '003-webhooks': webhooks,
  '015-console-sessions': attempts,
};
