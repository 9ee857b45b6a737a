/** Process entry of the `aos` command: wires the real process to {@link runCli}. */
import { runCli } from './run-cli.js';

const stopSignal = new Promise<string>((resolve) => {
  process.once('SIGINT', () => resolve('SIGINT'));
  process.once('SIGTERM', () => resolve('SIGTERM'));
});

process.on('unhandledRejection', (reason) => {
  process.stderr.write(`aos: unhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}\n`);
});

// An exception thrown by app code outside an invocation (a stray timer callback, say) would end
// the process. The Functions host restarts its worker instead; here the host keeps serving: every
// durable state is in storage and the in-memory caches are only caches.
process.on('uncaughtException', (err) => {
  process.stderr.write(`aos: uncaught exception (the host keeps running): ${err.stack ?? err.message}\n`);
});

const code = await runCli({ argv: process.argv.slice(2), env: process.env, stdout: process.stdout, stderr: process.stderr, stopSignal });
process.exit(code);
