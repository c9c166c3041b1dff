// Drives the consumers dashboard in Debian's chromium (headless) for tests/EdgePartition.Consumers.Tests.
//   node dashboard-check.mjs URL DEVICE TAG EXPECTED SCREENSHOT
// Prints "ready" once the page is live and shows DEVICE, then waits for a line "go" on stdin (the test changes
// the value in the segment meanwhile), waits until TAG of DEVICE shows EXPECTED, saves SCREENSHOT, prints
// "seen" and exits 0. Any failure prints "error: ..." and exits 1. Every wait is bounded.
import { createRequire } from 'node:module';
import readline from 'node:readline';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const [url, device, tag, expected, screenshot] = process.argv.slice(2);
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
  page.on('requestfailed', (r) => failures.push(`request failed: ${r.url()}`));
  page.on('request', (r) => {
    const target = new URL(r.url());
    if (target.host !== new URL(url).host) failures.push(`external request: ${r.url()}`);
  });

  await page.goto(url, { timeout: TIMEOUT_MS });
  await page.waitForSelector('#link.link-live', { timeout: TIMEOUT_MS });
  await page.waitForSelector(`.device[data-device="${device}"].state-ok`, { timeout: TIMEOUT_MS });
  await page.click(`.device[data-device="${device}"]`);
  await page.waitForSelector(`#tags tr[data-tag="${tag}"]`, { timeout: TIMEOUT_MS });
  console.log('ready');

  const lines = readline.createInterface({ input: process.stdin });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no "go" on stdin')), TIMEOUT_MS);
    lines.on('line', (line) => { if (line.trim() === 'go') { clearTimeout(timer); resolve(); } });
  });

  await page.waitForFunction(([t, value]) => {
    const row = document.querySelector(`#tags tr[data-tag="${t}"]`);
    return row !== null && row.querySelector('td.value').textContent === value;
  }, [tag, expected], { timeout: TIMEOUT_MS });
  await page.screenshot({ path: screenshot, fullPage: true });
  if (failures.length > 0) throw new Error(failures.join('; '));
  console.log('seen');
  lines.close();
  await browser.close();
  process.exit(0);
} catch (e) {
  if (page !== null) {
    // Leave evidence: what the page showed when the wait gave up.
    await page.screenshot({ path: screenshot, fullPage: true }).catch(() => {});
    const text = await page.evaluate(() => document.body.innerText).catch(() => '(no page)');
    console.error(`page text at failure:\n${text}\n${failures.join('\n')}`);
  }
  console.log(`error: ${e.message.split('\n')[0]}`);
  await browser.close();
  process.exit(1);
}
