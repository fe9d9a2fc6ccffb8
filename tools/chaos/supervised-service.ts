import { type ServiceProcess, startServiceProcess } from '@drone-delivery/testing';

export interface ServiceLifeEvent {
  kind: 'killed' | 'crashed' | 'ready' | 'start-failed';
  at: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One service as compose's `restart: unless-stopped` runs it: a process that dies, killed by the
 * run or by itself, is started again on the same port after a short delay, so its callers find
 * it where they left it.
 */
export class SupervisedService {
  readonly events: ServiceLifeEvent[] = [];
  /** Tails of the output of processes that died on their own. */
  readonly crashOutputs: string[] = [];
  private current?: ServiceProcess;
  private pid?: number;
  private stopping = false;
  private upNow?: Promise<void>;
  private watcher?: NodeJS.Timeout;

  constructor(
    readonly app: string,
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly restartDelayMs = 1_000,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  count(kind: ServiceLifeEvent['kind']): number {
    return this.events.filter((event) => event.kind === kind).length;
  }

  /** Resolves once the service is ready (again). */
  start(): Promise<void> {
    this.upNow ??= this.startUntilReady().finally(() => (this.upNow = undefined));
    return this.upNow;
  }

  /** SIGKILL the running process (waiting for it to be up first) and bring it back. */
  async kill(): Promise<{ killedAt: number; readyAt: number }> {
    await this.whenUp();
    const process = this.current;
    this.current = undefined;
    const killedAt = Date.now();
    this.events.push({ kind: 'killed', at: killedAt });
    await process?.kill();
    await sleep(this.restartDelayMs);
    await this.start();
    return { killedAt, readyAt: Date.now() };
  }

  async whenUp(): Promise<void> {
    while (!this.current && !this.stopping) await (this.upNow ?? this.start());
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.watcher);
    await this.upNow?.catch(() => undefined);
    await this.current?.stop();
  }

  private async startUntilReady(): Promise<void> {
    for (;;) {
      if (this.stopping) return;
      try {
        const process = await startServiceProcess({
          app: this.app,
          port: this.port,
          env: this.env,
          readyTimeoutMs: 180_000,
        });
        const live = (await (await fetch(`${process.url}/health/live`)).json()) as { pid: number };
        this.current = process;
        this.pid = live.pid;
        this.events.push({ kind: 'ready', at: Date.now() });
        this.watch();
        return;
      } catch (error) {
        // A first start that keeps failing is a broken set-up, not a fault of the run.
        if (this.count('ready') === 0 && this.count('start-failed') >= 2) throw error;
        // Postgres or Kafka may be restarting: try again, as a restart policy would.
        this.events.push({ kind: 'start-failed', at: Date.now() });
        this.crashOutputs.push(String(error).slice(-2_000));
        await sleep(2_000);
      }
    }
  }

  /** Notices a process that died by itself (signal 0 probes a pid without touching it). */
  private watch(): void {
    clearInterval(this.watcher);
    const watched = this.current;
    this.watcher = setInterval(() => {
      if (this.stopping || this.current !== watched || !watched) return;
      try {
        process.kill(this.pid ?? -1, 0);
      } catch {
        clearInterval(this.watcher);
        this.current = undefined;
        this.events.push({ kind: 'crashed', at: Date.now() });
        this.crashOutputs.push(watched.output().slice(-2_000));
        void sleep(this.restartDelayMs).then(() => this.start());
      }
    }, 500);
  }
}
