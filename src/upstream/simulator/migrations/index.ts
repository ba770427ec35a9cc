import type { Migrations } from '../../../store/index.js';
import * as initial from './001-initial.js';
import * as lifecycle from './002-simulator-lifecycle.js';
import * as limitsAndCodes from './008-sim-limits-and-codes.js';

/** The simulator's tables (tables.ts), in the service's one migration history (store/migrate.ts). */
export const SIMULATOR_MIGRATIONS: Migrations = {
  '001-initial': initial,
  '002-simulator-lifecycle': lifecycle,
  '008-sim-limits-and-codes': limitsAndCodes,
};
