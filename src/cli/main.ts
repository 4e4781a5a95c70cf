#!/usr/bin/env node
/**
 * The `axon` executable: runs the CLI on the process's arguments and exits with its code
 * (0 ok, 1 user error, 2 internal error).
 *
 *   npx axon train --data builtin:spiral --out models/spiral
 */
import { processIO } from './io.js';
import { runCli } from './program.js';

runCli(process.argv.slice(2), processIO()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // runCli reports every error itself; this is a last resort that still exits with code 2.
    process.stderr.write(`internal error: ${String(error)} — please report it\n`);
    process.exitCode = 2;
  },
);
