/** The `aos` command: `aos start` runs an Azure Functions app (AOS itself by default) on the local host. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { createLogger, defaultServices, HostStartError, startHost, type RunningHost } from '../host/index.js';

export interface CliIo {
  argv: string[];
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Resolves when the process is asked to stop (Ctrl-C, SIGTERM). */
  stopSignal: Promise<string>;
}

/** The AOS package root: the default app `aos start` runs. */
export function aosRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535');
  return n;
}

interface StartFlags {
  app?: string;
  port?: number;
  storage?: string;
  cors?: string;
  corsCredentials?: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  logFormat: 'pretty' | 'json';
}

export async function runCli(io: CliIo): Promise<number> {
  let exitCode = 0;
  const program = new Command('aos')
    .description('AOS, the Agent Operating System: run Azure Functions apps (and AOS itself) on a local host with Azurite')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  const addStart = (cmd: Command) =>
    cmd
      .description('run a Functions app on the local host (default: AOS itself)')
      .option('--app <dir>', 'folder of the Azure Functions app (its package.json names the entry point)')
      .option('--port <port>', 'HTTP port on 127.0.0.1 (default: AOS_PORT, else local.settings.json Host.LocalHttpPort, else 7071)', parsePort)
      .option('--storage <connection>', 'storage connection string (default: AzureWebJobsStorage, else Azurite started by the host)')
      .option('--cors <origins>', 'comma-separated origins browsers may call from, * for any (default: local.settings.json Host.CORS)')
      .option('--cors-credentials', 'allow cross-origin requests with credentials (default: local.settings.json Host.CORSCredentials)')
      .addOption(new Option('--log-level <level>', 'how much the host logs').choices(['debug', 'info', 'warn', 'error']).default('info'))
      .addOption(new Option('--log-format <format>', 'log line format').choices(['pretty', 'json']).default('pretty'))
      .action(async (flags: StartFlags) => {
        exitCode = await runStart(flags, io);
      });

  addStart(program.command('start'));
  addStart(program.command('host').description('the local Functions host').command('start'));

  try {
    await program.parseAsync(io.argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander exits 0 for help someone asked for (`--help`, `aos help`) and 1 for usage
      // mistakes, including a missing command; the latter are usage errors, exit 2.
      return err.exitCode === 0 ? 0 : 2;
    }
    throw err;
  }
  return exitCode;
}

async function runStart(flags: StartFlags, io: CliIo): Promise<number> {
  const log = createLogger({ level: flags.logLevel, format: flags.logFormat, stream: io.stdout });
  const appDir = path.resolve(flags.app ?? aosRoot());
  let host: RunningHost;
  try {
    const port = flags.port ?? (io.env.AOS_PORT ? parsePort(io.env.AOS_PORT) : undefined);
    // A host-started Azurite keeps its data where the user ran `aos`, not inside their app.
    const azuriteLocation = path.resolve('.aos', 'azurite');
    // The Functions host runs the worker with the app folder as its working directory, and
    // apps read files relative to it (`fs.readFileSync('data.json')`, dotenv, ...).
    changeDirectory(appDir);
    host = await startHost({
      appDir,
      port,
      storage: flags.storage,
      ...(flags.cors !== undefined ? { cors: flags.cors } : {}),
      ...(flags.corsCredentials ? { corsCredentials: true } : {}),
      azuriteLocation,
      env: io.env,
      log,
      services: defaultServices(),
    });
  } catch (err) {
    if (err instanceof HostStartError) {
      io.stderr.write(`aos: ${err.message}\n`);
      return 1;
    }
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    io.stderr.write(`aos: the host failed to start: ${message}\n`);
    if (flags.logLevel === 'debug' && err instanceof Error) io.stderr.write(`${err.stack ?? ''}\n`);
    return 1;
  }
  io.stdout.write(`listening on ${host.baseUrl}\n`);
  const signal = await io.stopSignal;
  log.log('info', 'stopping', { signal });
  await host.stop();
  return 0;
}

function changeDirectory(dir: string): void {
  try {
    process.chdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new HostStartError(code === 'ENOENT' ? `the app folder ${dir} does not exist` : `cannot use the app folder ${dir}: ${(err as Error).message}`, 'APP_DIR_INVALID');
  }
}
