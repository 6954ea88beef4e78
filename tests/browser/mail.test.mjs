// The mail server, set up by an admin in German: the form names a wrong field, saves, and the
// test mail reaches a real SMTP server on loopback (aiosmtpd, from TOUCHPOINTS_TEST_SMTPD,
// which scripts/test provides; without it the test is reported as skipped).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { launchBrowser, logIn, startServer, withPage } from './support.mjs';

const PYTHON = process.env.TOUCHPOINTS_TEST_SMTPD;

async function freePort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function listening(port) {
  for (let i = 0; i < 200; i += 1) {
    const open = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await delay(100);
  }
  throw new Error(`aiosmtpd does not listen on ${port}`);
}

describe('mail server settings', { skip: PYTHON ? false : 'TOUCHPOINTS_TEST_SMTPD is not set (scripts/test sets it)' }, () => {
  let server;
  let browser;
  let smtpd;
  let smtpPort;
  let dir;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'touchpoints-smtpd-'));
    smtpPort = await freePort();
    smtpd = spawn(PYTHON, ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${smtpPort}`,
      '-c', 'aiosmtpd.handlers.Mailbox', join(dir, 'box')], { stdio: 'ignore' });
    await listening(smtpPort);
    server = await startServer();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    smtpd?.kill('SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('an admin sets the mail server and a test mail arrives', async () => {
    const context = await browser.newContext({ baseURL: server.url, locale: 'de-DE' });
    try {
      await withPage(context, 'mail-settings', async (page) => {
        await logIn(page, server.admin);
        await page.goto('/admin/users');
        await page.getByRole('link', { name: 'E-Mail', exact: true }).click();
        await page.waitForURL((url) => url.pathname === '/admin/mail');
        await page.getByText('Noch kein Mailserver eingerichtet').waitFor();

        await page.getByLabel('Host', { exact: true }).fill('127.0.0.1');
        await page.getByLabel('Port', { exact: true }).fill('fünfundzwanzig');
        await page.getByLabel('Verschlüsselung', { exact: true }).selectOption('none');
        await page.getByLabel('Absenderadresse', { exact: true }).fill('service@nordlicht.example');
        await page.getByLabel('Absendername', { exact: true }).fill('Nordlicht Kundenservice');
        await page.getByRole('button', { name: 'Speichern', exact: true }).click();
        const port = page.getByLabel('Port', { exact: true });
        assert.equal(await port.getAttribute('aria-invalid'), 'true');
        assert.equal(await page.getByLabel('Host', { exact: true }).inputValue(), '127.0.0.1');

        await port.fill(String(smtpPort));
        await page.getByRole('button', { name: 'Speichern', exact: true }).click();
        await page.getByText('Gespeichert.').waitFor();

        await page.getByLabel('Empfänger', { exact: true }).fill('it@nordlicht.example');
        await page.getByRole('button', { name: 'Testmail senden', exact: true }).click();
        await page.getByText('Der Mailserver hat die Testmail an it@nordlicht.example angenommen.').waitFor();
      });
    } finally {
      await context.close();
    }
    const received = await readdir(join(dir, 'box', 'new'));
    assert.equal(received.length, 1);
  });
});
