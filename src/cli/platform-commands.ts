import type { CliCommand } from '../http/module.js';

/** import-units, backup and restore: filled in by the units and operations work. */
export const platformExtraCommands: Record<string, CliCommand> = {};
