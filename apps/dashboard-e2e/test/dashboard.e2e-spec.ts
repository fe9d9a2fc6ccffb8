/**
 * The dashboard in a real browser (Debian's chromium through playwright-core) against the whole
 * system, gateway and identity provider included: sign-in with the authorization code + PKCE
 * flow, scheduling by clicking the map, a delivery followed live to Completed, another account's
 * delivery refused, the operator's fleet and dead-letter counts, the live stream cut and
 * resumed without a gap, and an accessibility check of each view. Screenshots: tmp/screenshots.
 */
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEMO_PEOPLE } from '@drone-delivery/contracts';
import {
  buildDashboard,
  launchChromium,
  screenshot,
  seriousAccessibilityViolations,
  signInToDashboard as signIn,
  startWholeSystem,
  testKafkaBrokers,
  waitFor,
  type WholeSystem,
} from '@drone-delivery/testing';
import { deliveryOfAnotherAccount } from './dashboard.fixtures';

const CUSTOMER = DEMO_PEOPLE.customer;
const OPERATOR = DEMO_PEOPLE.operator;

jest.setTimeout(240_000);

describe('the dashboard in a browser', () => {
  let site: Awaited<ReturnType<typeof buildDashboard>>;
  let system: WholeSystem;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    site = await buildDashboard();
    // Settled, not all: a browser launched while the system failed to start must still be
    // closed in afterAll, or Jest waits for it for ever.
    const [started, launched] = await Promise.allSettled([
      startWholeSystem({
        kafkaBrokers: testKafkaBrokers().join(','),
        fleetSize: 6,
        // A flight of a few seconds, slow enough for the marker to be seen moving.
        timeScale: 60,
        env: { 'api-gateway': { DASHBOARD_DIR: site.dir } },
      }),
      launchChromium(),
    ]);
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'fulfilled') system = started.value;
    for (const result of [started, launched]) {
      if (result.status === 'rejected') throw result.reason;
    }
  }, 300_000);

  afterAll(async () => {
    await Promise.allSettled(contexts.map((context) => context.close()));
    await browser?.close();
    await system?.stop();
    await site?.remove();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    return context.newPage();
  }

  /** Clicks the map at a fraction of its width and height from its top-left corner. */
  async function clickMap(page: Page, x: number, y: number): Promise<void> {
    const map = page.getByTestId('service-map');
    const box = await map.boundingBox();
    if (!box) throw new Error('the map is not on the page');
    await page.mouse.click(box.x + box.width * x, box.y + box.height * y);
  }

  /** Presses Tab until the focused element matches, as a keyboard user moves through the page. */
  async function tabTo(page: Page, matches: string): Promise<void> {
    for (let presses = 0; presses < 40; presses++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((selector) => document.activeElement?.matches(selector), matches)) {
        return;
      }
    }
    throw new Error(`40 presses of Tab never reached ${matches}`);
  }

  const sequencesOn = (page: Page) =>
    page
      .getByTestId('timeline-event')
      .evaluateAll((items) => items.map((item) => Number(item.getAttribute('data-sequence'))));

  async function expectAccessible(page: Page, view: string): Promise<void> {
    const violations = await seriousAccessibilityViolations(page);
    expect({ view, violations }).toEqual({ view, violations: [] });
  }

  it('lets a customer schedule by clicking the map and follow the drone live to Completed', async () => {
    const page = await newPage();
    await signIn(page, system.gatewayUrl, CUSTOMER);
    await page.getByRole('heading', { name: 'Your deliveries' }).waitFor();
    await page.getByTestId('service-area').waitFor();
    await expectAccessible(page, 'customer home');
    await screenshot(page, 'customer-home');

    // Two clicks inside the service area, each side of its centre.
    await clickMap(page, 0.42, 0.45);
    await clickMap(page, 0.58, 0.56);
    expect(await page.getByLabel('Latitude').first().inputValue()).not.toBe('');
    await page.getByRole('button', { name: 'Schedule delivery' }).click();

    await page.waitForURL(/\/deliveries\/[0-9a-f-]{36}$/, { timeout: 30_000 });
    const stage = page.getByTestId('delivery-stage');
    await stage.waitFor();

    // Positions of the delivery's drone as the page draws it, until the stage says Completed:
    // the marker must move and the stage must get there without a reload.
    const positions = new Set<string>();
    const navigations: string[] = [];
    page.on(
      'framenavigated',
      (frame) => frame === page.mainFrame() && navigations.push(frame.url()),
    );
    await waitFor(
      async () => {
        const marker = page.getByTestId('drone-marker').first();
        if (await marker.count()) {
          positions.add(
            `${await marker.getAttribute('data-lat')},${await marker.getAttribute('data-lng')}`,
          );
        }
        return (await stage.getAttribute('data-stage')) === 'Completed';
      },
      { timeoutMs: 180_000, intervalMs: 100, description: 'the stage to reach Completed' },
    );
    expect(navigations).toEqual([]);
    expect(positions.size).toBeGreaterThan(2);
    const types = await page
      .getByTestId('timeline-event')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-event-type')));
    const order = ['DeliveryCreated', 'DeliveryInTransit', 'DeliveryCompleted'];
    expect(types.filter((type) => order.includes(String(type)))).toEqual(order);
    await expectAccessible(page, 'delivery page');
    await screenshot(page, 'customer-delivery-completed');
  });

  it("shows a customer another account's delivery as not found, like an unknown one", async () => {
    const foreign = await deliveryOfAnotherAccount(system);
    const page = await newPage();
    await signIn(page, system.gatewayUrl, CUSTOMER);
    await page.goto(`${system.gatewayUrl}/deliveries/${foreign}`);
    const problem = page.getByTestId('problem');
    await problem.waitFor();
    expect(await problem.textContent()).toMatch(/not found|no delivery/i);
    expect(await page.getByTestId('delivery-stage').count()).toBe(0);
  });

  it('shows the operator the fleet with its instances and the dead-letter counts', async () => {
    const page = await newPage();
    await signIn(page, system.gatewayUrl, OPERATOR);
    await page.getByRole('link', { name: 'Fleet' }).click();
    // The whole fleet: drones that have not flown yet appear with their first idle report.
    const drones = page.getByTestId('fleet-drone');
    await waitFor(async () => (await drones.count()) === 6, {
      timeoutMs: 90_000,
      intervalMs: 500,
      description: 'all 6 drones on the fleet page',
    });
    const instances = await page.getByTestId('fleet-drone-instance').allTextContents();
    expect(instances.every((instance) => instance.trim().length > 1)).toBe(true);
    await expectAccessible(page, 'fleet');
    await screenshot(page, 'operator-fleet');

    await page.getByRole('link', { name: 'Operations' }).click();
    const dlqRows = page.getByTestId('dlq-row');
    await dlqRows.first().waitFor({ timeout: 30_000 });
    const topics = await dlqRows.evaluateAll((rows) =>
      rows.map((row) => row.getAttribute('data-topic')),
    );
    expect(topics).toContain('delivery.events.v1.dlq');
    const counts = await page.getByTestId('dlq-count').allTextContents();
    expect(counts.every((count) => /^\d+$/.test(count.trim()))).toBe(true);
    await page.getByTestId('service-row').first().waitFor();
    await expectAccessible(page, 'operations');
    await screenshot(page, 'operator-operations');
  });

  it('schedules from the keyboard alone, and resumes the timeline without a gap when the stream drops', async () => {
    const page = await newPage();
    await signIn(page, system.gatewayUrl, CUSTOMER);
    await page.getByTestId('service-area').waitFor();

    // The map takes the arrow keys and Enter: pickup west of the centre, dropoff east of it.
    await tabTo(page, '[data-testid="service-map"]');
    for (let step = 0; step < 3; step++) await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Enter');
    for (let step = 0; step < 6; step++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await tabTo(page, 'button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/deliveries\/[0-9a-f-]{36}$/, { timeout: 30_000 });
    await page.getByTestId('timeline-event').first().waitFor({ timeout: 30_000 });
    const beforeCut = await sequencesOn(page);

    // The gateway restarts under the page: its socket closes, the page says so and comes back.
    const statuses: string[] = [];
    const watch = setInterval(() => {
      void page
        .getByTestId('stream-status')
        .getAttribute('data-status')
        .then((status) => status && statuses.at(-1) !== status && statuses.push(status))
        .catch(() => undefined);
    }, 50);
    try {
      await system.restart('api-gateway');
      await waitFor(
        async () =>
          (await page.getByTestId('delivery-stage').getAttribute('data-stage')) === 'Completed',
        { timeoutMs: 180_000, intervalMs: 200, description: 'the stage to reach Completed' },
      );
      await waitFor(
        async () =>
          (await page.getByTestId('stream-status').getAttribute('data-status')) === 'live',
        { timeoutMs: 60_000, description: 'the stream live again' },
      );
    } finally {
      clearInterval(watch);
    }
    expect(statuses).toContain('reconnecting');
    expect(statuses.indexOf('reconnecting')).toBeLessThan(statuses.lastIndexOf('live'));

    // What the page built live, across the cut, is what a fresh load of the history shows.
    const live = await sequencesOn(page);
    expect(live.length).toBeGreaterThan(beforeCut.length);
    expect(live).toEqual(Array.from({ length: live.length }, (_, index) => index + 1));
    expect(await page.getByTestId('timeline-gap').count()).toBe(0);
    await page.reload();
    await page
      .getByTestId('timeline-event')
      .nth(live.length - 1)
      .waitFor({ timeout: 30_000 });
    expect(await sequencesOn(page)).toEqual(live);
  });
});
