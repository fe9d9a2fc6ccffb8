/**
 * The dashboard in a browser on a busy demo: the time from opening the page to the first live
 * drone position, the page's JavaScript size, and the browser's memory over a long run with a
 * delivery scheduled every few seconds (Contoso Pharmacy's API client, as the traffic
 * generator does) while the customer's home page stays open.
 *
 *   npm run bench:dashboard                      # 10 minutes, a delivery every 2 s
 *   npm run bench:dashboard -- --minutes 3 --interval-ms 1000
 *
 * Starts Postgres and Kafka with Testcontainers (or uses DATABASE_URL and KAFKA_BROKERS when
 * both are set), the whole system as processes, and Debian's chromium (CHROMIUM_PATH).
 * Figures go to the console; nothing is asserted (these machines are noisy).
 */
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { DEMO_CLIENTS, DEMO_PEOPLE } from '@drone-delivery/contracts';
import { PublicApiClient, randomDeliveryRequest, runDelivery } from '@drone-delivery/demo-traffic';
import {
  buildDashboard,
  launchChromium,
  signInToDashboard,
  startTestInfrastructure,
  startWholeSystem,
  stopTestInfrastructure,
} from '@drone-delivery/testing';

const say = (line: string) => process.stdout.write(`[dashboard-bench] ${line}\n`);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '10' },
      'interval-ms': { type: 'string', default: '2000' },
      'max-in-flight': { type: 'string', default: '12' },
    },
  });
  const minutes = Number(values.minutes);
  const intervalMs = Number(values['interval-ms']);
  const maxInFlight = Number(values['max-in-flight']);

  await startTestInfrastructure();
  const site = await buildDashboard();
  say(`built the dashboard: ${await scriptSizes(site.dir)}`);
  const system = await startWholeSystem({
    kafkaBrokers: String(process.env.KAFKA_BROKERS),
    fleetSize: 20,
    timeScale: 60,
    env: { 'api-gateway': { DASHBOARD_DIR: site.dir } },
  });
  const browser = await launchChromium();
  const traffic = new AbortController();
  let ticker: NodeJS.Timeout | undefined;
  let inFlight = 0;
  let scheduled = 0;
  let completed = 0;
  try {
    say(`system up at ${system.gatewayUrl}; traffic: a delivery every ${intervalMs} ms`);
    const client = new PublicApiClient({
      gatewayUrl: system.gatewayUrl,
      credentials: DEMO_CLIENTS.active,
    });
    ticker = setInterval(() => {
      if (inFlight >= maxInFlight) return;
      inFlight++;
      scheduled++;
      void runDelivery(client, randomDeliveryRequest(), {
        index: scheduled,
        idempotencyKey: randomUUID(),
        deadline: Date.now() + 180_000,
        pollIntervalMs: 1_000,
        signal: traffic.signal,
      })
        .then((outcome) => outcome.result === 'completed' && completed++)
        .catch(() => undefined)
        .finally(() => inFlight--);
    }, intervalMs);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signInToDashboard(page, system.gatewayUrl, DEMO_PEOPLE.customer);
    // Deliveries under way before the page is opened afresh, as a person arriving mid-demo.
    await new Promise((resolve) => setTimeout(resolve, 20_000));
    const opened = Date.now();
    await page.goto(`${system.gatewayUrl}/`);
    await page.waitForFunction(
      () => performance.getEntriesByName('dashboard:first-position').length > 0,
      undefined,
      { timeout: 120_000 },
    );
    const firstPosition = await page.evaluate(
      () => performance.getEntriesByName('dashboard:first-position')[0].startTime,
    );
    const streamLive = await page.evaluate(
      () => performance.getEntriesByName('dashboard:stream-live')[0]?.startTime ?? NaN,
    );
    say(
      `opening the page: stream live after ${streamLive.toFixed(0)} ms, first live position ` +
        `after ${firstPosition.toFixed(0)} ms of the navigation (${Date.now() - opened} ms wall)`,
    );

    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const sample = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      const metric = (name: string) => metrics.find((entry) => entry.name === name)?.value ?? NaN;
      return {
        heapMb: metric('JSHeapUsedSize') / 1_048_576,
        nodes: metric('Nodes'),
        listeners: metric('JSEventListeners'),
      };
    };
    const navigations: string[] = [];
    page.on(
      'framenavigated',
      (frame) => frame === page.mainFrame() && navigations.push(frame.url()),
    );
    const first = await sample();
    say(`minute 0: JS heap ${first.heapMb.toFixed(1)} MB, ${first.nodes} DOM nodes`);
    for (let minute = 1; minute <= minutes; minute++) {
      await new Promise((resolve) => setTimeout(resolve, 60_000));
      const now = await sample();
      say(
        `minute ${minute}: JS heap ${now.heapMb.toFixed(1)} MB, ${now.nodes} DOM nodes, ` +
          `${now.listeners} listeners; deliveries scheduled ${scheduled}, completed ${completed}`,
      );
    }
    const last = await sample();
    const rows = await page.getByTestId('delivery-row').count();
    say(
      `after ${minutes} min: JS heap ${first.heapMb.toFixed(1)} → ${last.heapMb.toFixed(1)} MB, ` +
        `DOM nodes ${first.nodes} → ${last.nodes}; ${rows} delivery rows shown; ` +
        `${navigations.length} page loads meanwhile (token renewals must not reload)`,
    );
  } finally {
    clearInterval(ticker);
    traffic.abort();
    await browser.close();
    await system.stop();
    await site.remove();
    await stopTestInfrastructure();
  }
}

/** Raw and gzip size of the built JavaScript (what a browser downloads for the page). */
async function scriptSizes(dir: string): Promise<string> {
  const assets = path.join(dir, 'assets');
  const scripts = (await readdir(assets)).filter((name) => name.endsWith('.js'));
  let raw = 0;
  let gzip = 0;
  for (const name of scripts) {
    const content = await readFile(path.join(assets, name));
    raw += content.length;
    gzip += gzipSync(content).length;
  }
  return `${scripts.length} script(s), ${(raw / 1024).toFixed(1)} KiB, ${(gzip / 1024).toFixed(1)} KiB gzipped`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
