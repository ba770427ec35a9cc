#!/usr/bin/env node
// The `cams` command, from the compiled sources (npm run build).
import { runCli } from '../dist/cli/main.js';

process.exitCode = await runCli(process.argv.slice(2));
