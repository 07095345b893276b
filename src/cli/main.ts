/** Entry point of the `firebreak` command (see `run-cli.ts` for what it does). */
import { EXIT } from './exit-codes.js';
import { defaultIo, runCli } from './run-cli.js';

const code = await runCli(process.argv.slice(2), defaultIo());
if (code !== EXIT.ok) process.exitCode = code;
