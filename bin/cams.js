#!/usr/bin/env node
// The `cams` command, from the compiled and bundled sources (npm run build: tsc, then scripts/bundle.mjs).
import { runCli } from '../dist/bundle/cams.js';

process.exitCode = await runCli(process.argv.slice(2));
