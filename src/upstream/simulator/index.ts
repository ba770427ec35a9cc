/**
 * The simulator wing's public face. The composition root builds a WhatsAppSimulator; the operator
 * drives it through SimulatorControls; nothing else reaches into this folder.
 */
import type { Fault, FaultSpec } from './faults.js';
import type { OutboxFilter, OutboxMessage } from './outbox.js';

export { WhatsAppSimulator } from './simulator.js';
export { FAULT_OPERATIONS, FAULT_PRESETS } from './faults.js';
export type { Fault, FaultError, FaultOperation, FaultSpec } from './faults.js';
export type { OutboxFilter, OutboxMessage } from './outbox.js';
export type { SimulatorTables } from './tables.js';
export { SIMULATOR_EMBEDDED_SIGNUP } from './options.js';
export { SIMULATOR_MIGRATIONS } from './migrations/index.js';
export { simulatorRoute, startSimulatorServer, type SimulatorServer } from './http/server.js';

/**
 * What an operator may do to the simulator: read what it "sent", inject faults, move its clock, create a
 * WABA that ChatappBindWaba can then bind.
 */
export interface SimulatorControls {
  createWaba(name: string, fixedId?: string): Promise<string>;
  listOutbox(filter?: OutboxFilter): Promise<OutboxMessage[]>;
  injectFault(spec: FaultSpec): Promise<Fault>;
  listFaults(): Promise<Fault[]>;
  clearFaults(id?: string): Promise<number>;
  advanceClock(ms: number): Promise<number>;
  clockOffset(): Promise<number>;
  now(): Promise<number>;
}
