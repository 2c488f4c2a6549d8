// Drives Colony's dashboard in Debian's Chromium: submits a job through the page, waits until the
// page shows it at 100 %, checks the timeline and the task table, and takes a screenshot.
// Usage: node dashboard-test.mjs BASE_URL JOB_ID SCREENSHOT.png   (CHROMIUM overrides /usr/bin/chromium)
import { chromium } from 'playwright-core';

const [base, jobId, shot] = process.argv.slice(2);
if (!base || !jobId || !shot) {
  console.error('usage: node dashboard-test.mjs BASE_URL JOB_ID SCREENSHOT.png');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
const problems = [];
page.on('pageerror', (e) => problems.push('page error: ' + e.message));
page.on('console', (m) => { if (m.type() === 'error') problems.push('console: ' + m.text()); });
try {
  await page.goto(base + '/ui/');
  await page.waitForSelector('#nodes tbody tr[data-node]', { timeout: 15000 });
  await page.click('#submit-panel summary');
  const spec = {
    id: jobId,
    tasks: [
      { id: 'a', kernel: 'spin', params: { work: 400 } },
      { id: 'b', kernel: 'spin', params: { work: 400 } },
      { id: 'c', kernel: 'spin', params: { work: 400 } },
      { id: 'join', kernel: 'noop', inputs: { a: 'a', b: 'b', c: 'c' } },
    ],
  };
  await page.fill('#spec', JSON.stringify(spec, null, 2));
  await page.click('#submit');
  await page.waitForFunction((id) => document.getElementById('submit-result').textContent === 'accepted: ' + id,
    jobId, { timeout: 10000 });
  // Seen while it runs (progress below 100 %), then at 100 %.
  const row = `#jobs tbody tr[data-job="${jobId}"]`;
  await page.waitForSelector(row, { timeout: 15000 });
  const first = await page.textContent(row + ' .pct');
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === '100 %', row + ' .pct',
    { timeout: 30000 });
  await page.waitForFunction(() => document.getElementById('job-phase').textContent === 'succeeded',
    null, { timeout: 10000 });
  const result = {
    firstProgress: first,
    listProgress: await page.textContent(row + ' .pct'),
    jobProgress: await page.textContent('#job-pct, #job-progress .pct'),
    phase: await page.textContent('#job-phase'),
    timelineBars: await page.locator('#timeline rect[data-task]').count(),
    taskRows: await page.locator('#tasks tbody tr[data-task]').count(),
    nodes: await page.locator('#nodes tbody tr[data-node]').count(),
    learnerDeployed: await page.textContent('dd[data-fact="deployed"]'),
    learnerCanary: await page.textContent('dd[data-fact="canary"]'),
    history: await page.locator('#history li[data-version] b').allTextContents(),
    problems,
  };
  await page.screenshot({ path: shot, fullPage: true });
  console.log(JSON.stringify(result));
} catch (e) {
  await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
  console.error('dashboard test failed: ' + e.message + (problems.length ? '\n' + problems.join('\n') : ''));
  process.exitCode = 1;
} finally {
  await browser.close();
}
