import { spawn } from 'node:child_process';
import { get } from 'node:https';
import { createServer } from 'node:net';
import path from 'node:path';
import { waitFor } from './wait-for';

const WORKSPACE_ROOT = path.resolve(__dirname, '../../..');

export interface ServiceProcessOptions {
  /** App folder under apps/, e.g. `scheduler`. */
  app: string;
  /** The service's environment (PORT is added). The parent's PATH and HOME are passed on. */
  env: Record<string, string>;
  /** Reuse a port, e.g. when restarting a service its callers already know. */
  port?: number;
  readyTimeoutMs?: number;
  /** The service serves HTTPS with a certificate this CA (PEM) signed: `url` is https. */
  ca?: string;
}

export interface ServiceProcess {
  app: string;
  port: number;
  url: string;
  /** What the process printed so far (its last 100-200 KB), for failure messages. */
  output(): string;
  /** How many characters the process has printed so far: a mark for `outputSince`. */
  printed(): number;
  /**
   * What the process printed after `mark` (from `printed()`). Unlike slicing `output()`, it stays
   * right once the start of a long output has been dropped.
   */
  outputSince(mark: number): string;
  /** SIGTERM: graceful shutdown; resolves when the process has exited. */
  stop(): Promise<void>;
  /** SIGKILL: a crash; nothing gets to clean up. */
  kill(): Promise<void>;
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Runs a service as its own Node process, from its TypeScript sources (through
 * @swc-node/register, as `npm run dev` does), and waits until `/health/ready` answers 200.
 * Tests that cross service boundaries run the real processes, so they can also stop or kill one.
 */
export async function startServiceProcess(options: ServiceProcessOptions): Promise<ServiceProcess> {
  // A port is free when picked but unbound until the service listens, seconds later; a service
  // of another test file may take it meanwhile. Then pick another one (unless the caller chose it).
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options, options.port ?? (await freePort()));
    } catch (error) {
      if (!(error instanceof PortTakenError) || options.port !== undefined || attempt === 3) {
        throw error;
      }
    }
  }
}

class PortTakenError extends Error {}

/**
 * The tail of what a process printed: a long-running service can print a lot, so past `limit`
 * characters the oldest half is dropped. Marks count every character ever printed, so they stay
 * valid after a trim.
 */
export class OutputTail {
  private kept = '';
  private dropped = 0;

  constructor(private readonly limit = 200_000) {}

  append(text: string): void {
    this.kept += text;
    if (this.kept.length > this.limit) {
      const keep = Math.floor(this.limit / 2);
      this.dropped += this.kept.length - keep;
      this.kept = this.kept.slice(-keep);
    }
  }

  text(): string {
    return this.kept;
  }

  printed(): number {
    return this.dropped + this.kept.length;
  }

  /** What was printed after `mark`, as far as it is still kept. */
  since(mark: number): string {
    return this.kept.slice(Math.max(0, mark - this.dropped));
  }
}

async function startOnce(options: ServiceProcessOptions, port: number): Promise<ServiceProcess> {
  const entry = path.join(WORKSPACE_ROOT, 'apps', options.app, 'src/main.ts');
  const child = spawn(process.execPath, ['-r', '@swc-node/register', entry], {
    cwd: WORKSPACE_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      SWC_NODE_PROJECT: path.join(WORKSPACE_ROOT, 'apps', options.app, 'tsconfig.json'),
      NODE_ENV: 'test',
      ...options.env,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = new OutputTail();
  const append = (chunk: Buffer) => output.append(chunk.toString());
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `${options.ca === undefined ? 'http' : 'https'}://127.0.0.1:${port}`;
  const probe = options.ca === undefined ? plainProbe : tlsProbe(options.ca);

  try {
    const state = await waitFor(
      async () => {
        if (child.exitCode !== null || child.signalCode !== null) return 'exited';
        const response = await probe(`${url}/health/ready`).catch(() => undefined);
        if (response?.status !== 200) return undefined;
        // Ready, but is it ours? Another process may be listening on the port.
        const live = await probe(`${url}/health/live`)
          .then((answer) => answer.json() as Promise<{ pid?: number }>)
          .catch(() => undefined);
        return live?.pid === child.pid ? 'ready' : 'taken';
      },
      {
        timeoutMs: options.readyTimeoutMs ?? 45_000,
        intervalMs: 100,
        description: `${options.app} ready at ${url}`,
      },
    );
    if (state === 'exited') throw new Error(`${options.app} exited before it was ready`);
    if (state === 'taken') {
      throw new PortTakenError(`port ${port} of ${options.app} is taken by another process`);
    }
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    if (error instanceof PortTakenError) throw error;
    throw new Error(
      `${(error as Error).message}\n--- ${options.app} output ---\n${output.text().slice(-4_000)}`,
    );
  }

  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  return {
    app: options.app,
    port,
    url,
    output: () => output.text(),
    printed: () => output.printed(),
    outputSince: (mark) => output.since(mark),
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
  };
}

interface ProbeAnswer {
  status: number;
  json(): Promise<unknown>;
}

const plainProbe = (url: string): Promise<ProbeAnswer> => fetch(url);

/** fetch cannot be given a CA to trust, https.get can. */
const tlsProbe =
  (ca: string) =>
  (url: string): Promise<ProbeAnswer> =>
    new Promise((resolve, reject) => {
      get(url, { ca }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            json: () => Promise.resolve(JSON.parse(body) as unknown),
          }),
        );
        response.on('error', reject);
      }).on('error', reject);
    });
