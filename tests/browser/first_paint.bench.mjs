// How soon the dashboard shows something: first contentful paint in headless Chromium,
// against the server with the demo company, each visit in a fresh browser context (nothing
// cached) and again with the assets cached, as a manager who comes back sees it.
//
//   scripts/bench-first-paint [--runs N]
//
// Before and after the timings a reference probe is timed, as in the other benchmarks:
// SHA-256 over 64 MiB, best of 3 (here node's, through OpenSSL).
import { createHash } from 'node:crypto';
import { loadavg } from 'node:os';
import { launchBrowser, logIn, startServer } from './support.mjs';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 50;
const PATH = '/dashboard';

function probe() {
  const size = 64 * 1024 * 1024;
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i++) data[i] = i % 251;
  let best = Infinity;
  for (let run = 0; run < 3; run++) {
    const start = performance.now();
    createHash('sha256').update(data).digest();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/** The nearest-rank quantile `q` of `values`. */
function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/** First contentful paint and the end of the load event of one visit, in ms. */
async function visit(page) {
  await page.goto(PATH, { waitUntil: 'load' });
  // The paint may be recorded after the load event: wait for it, a few seconds at most.
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const [navigation] = performance.getEntriesByType('navigation');
        const done = (paint) => resolve({ paint, load: navigation.loadEventEnd });
        new PerformanceObserver((list) => {
          const entry = list.getEntriesByName('first-contentful-paint')[0];
          if (entry) done(entry.startTime);
        }).observe({ type: 'paint', buffered: true });
        setTimeout(() => done(NaN), 5000);
      }),
  );
}

const before = probe();
const loadBefore = loadavg()[0];
const server = await startServer({ demo: true });
const browser = await launchBrowser();
const results = { cold: { paint: [], load: [] }, warm: { paint: [], load: [] } };
try {
  // The session, made once: its cookies go into every fresh context.
  const login = await browser.newContext({ baseURL: server.url });
  const loginPage = await login.newPage();
  await logIn(loginPage, server.admin);
  const state = await login.storageState();
  await login.close();
  for (let run = 0; run < RUNS + 3; run++) {
    const context = await browser.newContext({ baseURL: server.url, storageState: state, locale: 'de-DE' });
    const page = await context.newPage();
    const cold = await visit(page);
    const warm = await visit(page);
    await context.close();
    // The first three warm the server up and are not counted.
    if (run < 3) continue;
    for (const [name, timing] of [['cold', cold], ['warm', warm]]) {
      results[name].paint.push(timing.paint);
      results[name].load.push(timing.load);
    }
  }
} finally {
  await browser.close();
  await server.stop();
}
const after = probe();
console.log(`dashboard ${PATH}, ${RUNS} visits each, load average ${loadBefore.toFixed(2)} before`);
console.log('| visit | first paint p50 | p95 | load p50 | p95 |');
console.log('|---|---:|---:|---:|---:|');
for (const name of ['cold', 'warm']) {
  const r = results[name];
  const ms = (v) => `${v.toFixed(0)} ms`;
  console.log(
    `| ${name} | ${ms(quantile(r.paint, 0.5))} | ${ms(quantile(r.paint, 0.95))} | ${ms(quantile(r.load, 0.5))} | ${ms(quantile(r.load, 0.95))} |`,
  );
}
console.log(`probe (SHA-256, 64 MiB) before / after: ${before.toFixed(1)} / ${after.toFixed(1)} ms`);
