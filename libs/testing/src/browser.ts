import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';

const WORKSPACE = path.resolve(__dirname, '../../..');

/** Debian's chromium (`apt-get install chromium`): no npm package downloads a browser here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where browser tests leave their screenshots, for a person to look at after a run. */
export const SCREENSHOT_DIR = path.resolve(__dirname, '../../../tmp/screenshots');

/** Headless chromium through playwright-core; fails with the fix when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `No chromium at ${CHROMIUM_PATH}: install Debian's (sudo apt-get install chromium) or set ` +
        'CHROMIUM_PATH to another Chromium build. .ci/run installs it.',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // As root in a container there is no user namespace for chromium's sandbox.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

/** A full-page screenshot in SCREENSHOT_DIR; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export interface AccessibilityViolation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * axe-core on the page as it is now (a page of `browser.newContext()`: axe opens a second one
 * in its context): the violations of impact serious or critical (WCAG 2.x A
 * and AA rules), each with the elements it found, so a failing assertion says what to fix.
 */
export async function seriousAccessibilityViolations(
  page: Page,
): Promise<AccessibilityViolation[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      id: violation.id,
      impact: String(violation.impact),
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }));
}

/**
 * The dashboard built by Vite into a folder of its own, as `npm run build:dashboard` does into
 * dist/: a test serves what it built (the gateway's DASHBOARD_DIR), never a stale dist.
 */
export async function buildDashboard(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dashboard-build-'));
  await promisify(execFile)(
    process.execPath,
    [
      path.join(WORKSPACE, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      path.join(WORKSPACE, 'apps/dashboard/vite.config.ts'),
      '--outDir',
      dir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    { cwd: WORKSPACE },
  );
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Signs in to the dashboard as a person does: its button, the identity provider's own page
 * (authorization code + PKCE), consent if it asks, and back to the dashboard.
 */
export async function signInToDashboard(
  page: Page,
  gatewayUrl: string,
  person: { email: string; password: string },
): Promise<void> {
  await page.goto(`${gatewayUrl}/`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const signedIn = page.getByTestId('signed-in-as');
  const consent = page.getByRole('button', { name: 'Allow' });
  await signedIn.or(consent).first().waitFor({ timeout: 30_000 });
  if (await consent.isVisible()) await consent.click();
  await signedIn.waitFor({ timeout: 30_000 });
}
