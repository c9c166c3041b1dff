// Drives the dashboard's write control in Debian's chromium (headless) for tests/EdgePartition.Consumers.Tests.
//   node write-check.mjs URL DEVICE TAG VALUE SCREENSHOT
// Opens URL (which carries ?access_token=...), waits until the page is live and DEVICE's TAG row is shown, then:
//   VALUE "-": prints "controls N", the number of edit controls on the page (0 for a read-only token);
//   otherwise: clicks edit, types VALUE, clicks "write…", checks the confirmation names TAG, confirms, waits for
//   the result beside the control and prints "result NAME TEXT" (NAME: done, badValue, deviceDown, ...).
// Saves SCREENSHOT and exits 0; any failure prints "error: ..." and exits 1. Every wait is bounded.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const [url, device, tag, value, screenshot] = process.argv.slice(2);
const TIMEOUT_MS = 20000;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  timeout: TIMEOUT_MS,
});

let page = null;
const failures = [];
try {
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('pageerror', (e) => failures.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (new URL(r.url()).host !== new URL(url).host) failures.push(`external request: ${r.url()}`);
  });

  await page.goto(url, { timeout: TIMEOUT_MS });
  await page.waitForSelector('#link.link-live', { timeout: TIMEOUT_MS });
  await page.waitForSelector('#access:not(:empty)', { timeout: TIMEOUT_MS });
  await page.click(`.device[data-device="${device}"]`);
  const row = `#tags tr[data-tag="${tag}"]`;
  await page.waitForSelector(row, { timeout: TIMEOUT_MS });

  if (value === '-') {
    const count = await page.locator('button.write-edit').count();
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(`controls ${count}`);
  } else {
    await page.click(`${row} button.write-edit`, { timeout: TIMEOUT_MS });
    await page.fill(`${row} input.write-value`, value, { timeout: TIMEOUT_MS });
    await page.click(`${row} button.write-next`, { timeout: TIMEOUT_MS });
    const question = await page.textContent(`${row} .write-confirm`, { timeout: TIMEOUT_MS });
    if (!question.includes(tag)) throw new Error(`the confirmation does not name the tag: ${question}`);
    await page.click(`${row} button.write-ok`, { timeout: TIMEOUT_MS });
    await page.waitForSelector(`${row} .write-result[data-result]`, { timeout: TIMEOUT_MS });
    const result = await page.$eval(`${row} .write-result`, (e) => `${e.dataset.result} ${e.textContent}`);
    await page.waitForSelector('#writes tbody tr:not(.empty)', { timeout: TIMEOUT_MS });
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(`result ${result}`);
  }
  if (failures.length > 0) throw new Error(failures.join('; '));
  await browser.close();
  process.exit(0);
} catch (e) {
  if (page !== null) {
    await page.screenshot({ path: screenshot, fullPage: true }).catch(() => {});
    const text = await page.evaluate(() => document.body.innerText).catch(() => '(no page)');
    console.error(`page text at failure:\n${text}\n${failures.join('\n')}`);
  }
  console.log(`error: ${e.message.split('\n')[0]}`);
  await browser.close();
  process.exit(1);
}
