// End-to-end queue: requests by e-mail and by phone from one person land in one
// profile, the queue orders them by an explained score and follows new requests
// live, and an agent works one request from assignment to resolution.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { asAdmin, launchBrowser, postAsPage, startServer } from './support.mjs';

describe('request queue', () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const inBrowser = (name, fn) => asAdmin(browser, server, name, fn);

  const intake = (page, body) => postAsPage(page, '/api/v1/requests', body);

  test('an agent works a request from the queue to its resolution', async () => {
    await inBrowser('queue-end-to-end', async (page) => {
      await page.goto('/queue');
      const mail = await intake(page, {
        channel: 'email',
        customer: { name: 'Anna Schulz', email: 'anna.schulz@example.de' },
        subject: 'Frage zur Lieferung',
        body: 'Wann kommt mein Sofa?',
        external_id: 'mail-1',
      });
      const call = await intake(page, {
        channel: 'phone',
        customer: { phone: '0171 1234567', email: 'Anna.Schulz@example.de' },
        subject: 'Rückruf erbeten',
        body: 'Das ist unverschämt, ich warte seit Wochen. Bitte dringend melden!',
        external_id: 'call-1',
      });
      assert.equal(call.customer_id, mail.customer_id, 'one profile for mail and phone');

      await page.goto('/queue?view=all');
      const rows = page.locator('#queue-list tbody tr');
      assert.equal(await rows.count(), 2);
      // The angry, urgent call comes first and says why.
      const first = rows.first();
      assert.equal((await first.locator('th a').innerText()).trim(), 'Rückruf erbeten');
      const reasons = await first.locator('ul.parts').innerText();
      assert.match(reasons, /verärgert/);
      assert.match(reasons, /dringend/);

      // A new request appears without a reload.
      const marker = await page.evaluate(() => {
        window.__notReloaded = true;
        return true;
      });
      assert.ok(marker);
      await intake(page, {
        channel: 'chat',
        customer: { device: 'cookie-42', name: 'Ben' },
        subject: 'Gutschein',
        body: 'Gilt mein Gutschein online?',
      });
      await page.waitForFunction(
        () => document.querySelectorAll('#queue-list tbody tr').length === 3,
        null,
        { timeout: 10_000 },
      );
      assert.equal(await page.evaluate(() => window.__notReloaded), true);

      // The request with its customer and the history across channels.
      await first.locator('th a').click();
      await page.waitForURL((url) => url.pathname === `/requests/${call.id}`);
      const aside = page.locator('aside.request-customer');
      assert.match(await aside.innerText(), /anna\.schulz@example\.de/);
      assert.match(await aside.innerText(), /\+491711234567/);
      assert.equal(await aside.locator('ul.history li').count(), 2);

      await page.getByRole('button', { name: 'Mir zuweisen', exact: true }).click();
      await page.waitForURL((url) => url.pathname === `/requests/${call.id}`);
      assert.match(await page.locator('dl.facts').first().innerText(), /e2e-admin/);

      // An empty reply is refused, tied to its field.
      await page.getByRole('button', { name: 'Antwort senden', exact: true }).click();
      assert.equal(await page.locator('#body[aria-invalid="true"]').count(), 1);

      await page.getByLabel('Antwort oder Notiz', { exact: true }).fill('Guten Tag Frau Schulz, wir rufen heute zurück.');
      await page.getByRole('button', { name: 'Antwort senden', exact: true }).click();
      await page.waitForURL((url) => url.pathname === `/requests/${call.id}`);
      assert.match(await page.locator('ol.steps').innerText(), /wir rufen heute zurück/);
      assert.doesNotMatch(await page.locator('dl.facts').first().innerText(), /Erste Antwort\s+–/);

      await page.getByRole('button', { name: 'Auf Kunden warten', exact: true }).click();
      await page.getByRole('button', { name: 'Kunde hat geantwortet', exact: true }).click();
      await page.getByRole('button', { name: 'Erledigen', exact: true }).click();
      await page.waitForURL((url) => url.pathname === `/requests/${call.id}`);
      assert.match(await page.locator('.page-head').innerText(), /erledigt/);

      // Gone from the open queue.
      await page.goto('/queue?view=all');
      const subjects = await page.locator('#queue-list tbody th a').allInnerTexts();
      assert.deepEqual(subjects.map((s) => s.trim()).sort(), ['Frage zur Lieferung', 'Gutschein']);
    });
  });
});
