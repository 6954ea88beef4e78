// Helpers for the end-to-end browser tests: a throwaway `touchpoints serve`
// on a free loopback port with its own SQLite file, and headless Chromium.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { once } from 'node:events';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// The demo company takes several seconds to load before the server listens.
const READY_TIMEOUT_MS = 60_000;
const LISTENING = /listening on (http:\/\/\S+)/;
// eslint-disable-next-line no-control-regex
const ANSI_ESCAPE = /\x1b\[[0-9;]*[A-Za-z]/g;
const MAX_LOG = 64 * 1024;

/** Directory where failing tests leave screenshots (gitignored). */
export const ARTIFACTS_DIR = fileURLToPath(new URL('./artifacts/', import.meta.url));

const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts `$TOUCHPOINTS_BIN serve` on 127.0.0.1:0 with a fresh SQLite database.
 * Resolves once the server prints `listening on http://...` on stdout. The
 * database holds one admin account, returned as `admin`, created with the CLI; with
 * `demo`, the demo company too (`serve --demo`).
 * @param {{demo?: boolean}} [options]
 * @returns {Promise<{url: string, stop: () => Promise<void>, logs: () => string,
 *   admin: {username: string, password: string}, database: string}>}
 */
export async function startServer({ demo = false } = {}) {
  const bin = process.env.TOUCHPOINTS_BIN;
  if (!bin) {
    throw new Error(
      'TOUCHPOINTS_BIN is not set: point it at the built binary, e.g. ' +
        'TOUCHPOINTS_BIN=$PWD/target/debug/touchpoints (scripts/test does this)',
    );
  }

  const dir = await mkdtemp(join(tmpdir(), 'touchpoints-e2e-'));
  const database = `sqlite://${dir}/touchpoints.db`;
  // The first admin comes from the command line, as in a real installation.
  const admin = { username: 'e2e-admin', password: 'ein langes Test-Passwort 42' };
  execFileSync(bin, ['user', 'add', admin.username, '--role', 'admin', '--password-stdin', '--database', database], {
    input: `${admin.password}\n`,
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  const args = ['serve', '--addr', '127.0.0.1:0', '--database', database, ...(demo ? ['--demo'] : [])];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  running.add(child);

  let stdout = '';
  let stderr = '';
  const keep = (log, chunk) => {
    const s = log + chunk;
    return s.length > MAX_LOG ? s.slice(s.length - MAX_LOG) : s;
  };
  const logs = () => `--- server stdout ---\n${stdout}\n--- server stderr ---\n${stderr}`;

  // Keep draining both pipes for the whole life of the server, so it never
  // blocks on a full pipe.
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr = keep(stderr, chunk);
  });

  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
    // A binary that cannot be spawned at all emits 'error' and never 'exit'.
    child.once('error', () => {
      running.delete(child);
      resolve({ code: null, signal: null });
    });
  });
  // Grandchildren may hold the pipes open after the server is gone: let go
  // of them so they cannot keep the test process alive.
  const release = () => {
    child.stdout.destroy();
    child.stderr.destroy();
  };

  let url;
  try {
    url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(
            `server did not print "listening on http://..." within ${READY_TIMEOUT_MS / 1000} s\n` +
              `command: ${bin} ${args.join(' ')}\n${logs()}`,
          ),
        );
      }, READY_TIMEOUT_MS);
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`could not start ${bin}: ${err.message}`));
      });
      exited.then(async ({ code, signal }) => {
        clearTimeout(timer);
        // Give the pipes a moment to deliver the last words on stderr.
        await Promise.race([once(child, 'close'), delay(250)]);
        reject(
          new Error(
            `server exited before it was ready (code ${code}, signal ${signal})\n` +
              `command: ${bin} ${args.join(' ')}\n${logs()}`,
          ),
        );
      });
      createInterface({ input: child.stdout }).on('line', (line) => {
        stdout = keep(stdout, line + '\n');
        const m = LISTENING.exec(line.replace(ANSI_ESCAPE, ''));
        if (m) {
          clearTimeout(timer);
          resolve(m[1].replace(/\/+$/, ''));
        }
      });
    });
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    release();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }

  let stopped = false;
  async function stop() {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    release();
    await rm(dir, { recursive: true, force: true });
  }

  return { url, stop, logs, admin, database };
}

/**
 * Logs `page` in through the login form (German or English labels), as a person would.
 * @param {import('playwright-core').Page} page
 * @param {{username: string, password: string}} account
 */
export async function logIn(page, account) {
  await page.goto('/login');
  await page.getByLabel(/^(Benutzername|User name)$/).fill(account.username);
  await page.getByLabel(/^(Passwort|Password)$/).fill(account.password);
  await page.getByRole('button', { name: /^(Anmelden|Log in)$/ }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** Launches Debian's headless Chromium through playwright-core. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/**
 * Runs `fn(page)` in a fresh page of `context`; if it throws, saves a
 * full-page screenshot as tests/browser/artifacts/<name>.png and rethrows.
 */
export async function withPage(context, name, fn) {
  const page = await context.newPage();
  try {
    return await fn(page);
  } catch (err) {
    try {
      await mkdir(ARTIFACTS_DIR, { recursive: true });
      const file = join(ARTIFACTS_DIR, `${name.replace(/[^\w.-]+/g, '_')}.png`);
      await page.screenshot({ path: file, fullPage: true });
      err.message += `\n(screenshot: ${file}, page URL: ${page.url()})`;
    } catch {
      // The screenshot is only a debugging aid.
    }
    throw err;
  } finally {
    await page.close().catch(() => {});
  }
}

/**
 * Runs `fn(page, context)` in a fresh German browser context logged in as the server's
 * admin; a failure carries the end of the server's log.
 */
export async function asAdmin(browser, server, name, fn) {
  return asAccount(browser, server, server.admin, { locale: 'de-DE' }, name, fn);
}

/**
 * Runs `fn(page, context)` in a fresh browser context made with `options` (locale, screen),
 * logged in through the form as `account`; a failure carries the end of the server's log.
 */
export async function asAccount(browser, server, account, options, name, fn) {
  const context = await browser.newContext({ ...options, baseURL: server.url });
  try {
    return await withPage(context, name, async (page) => {
      await logIn(page, account);
      return fn(page, context);
    });
  } catch (err) {
    err.message += `\n${server.logs().slice(-4000)}`;
    throw err;
  } finally {
    await context.close();
  }
}

/**
 * Posts `body` as JSON to the API with the page's session and the CSRF token its forms
 * carry (the session's own); expects 201 and returns the answer's JSON.
 */
export async function postAsPage(page, path, body) {
  const csrf = await page.locator('input[name="_csrf"]').first().getAttribute('value');
  assert.ok(csrf, "the page carries its session's CSRF token");
  const response = await page.request.post(path, { data: body, headers: { 'X-CSRF-Token': csrf } });
  assert.equal(response.status(), 201, await response.text());
  return response.json();
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * The WCAG 2.1 A and AA violations axe-core finds on the page as it is, one line per rule:
 * where it fails first, why, and how often.
 * @param {import('playwright-core').Page} page
 */
export async function axeViolations(page) {
  // Evaluated through the DevTools protocol, so the pages' Content-Security-Policy, which
  // allows no inline script, does not stop it.
  await page.evaluate(AXE_SOURCE);
  const found = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }).then((r) => r.violations),
    ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'],
  );
  return found.map((v) => {
    const [first] = v.nodes;
    const why = first.failureSummary.replace(/\s+/g, ' ');
    return `${v.id} (${v.impact}, ${v.nodes.length}×): ${v.help}; first at ${first.target.join(' ')}: ${why}`;
  });
}

/** A phone's screen, for a browser context. */
export const PHONE = { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true };

/** Every language at desktop and phone size: locale, device and the context's options. */
export const VIEWS = [
  ['de-DE', 'desktop', {}],
  ['en-GB', 'desktop', {}],
  ['de-DE', 'phone', PHONE],
  ['en-GB', 'phone', PHONE],
];
