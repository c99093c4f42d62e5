#!/usr/bin/env node
// npm scripts and npx put the project's pinned Node 24 first on PATH, which runs .ts directly.
import { runCli } from '../src/cli/cli.ts';

process.exitCode = await runCli(process.argv.slice(2));
