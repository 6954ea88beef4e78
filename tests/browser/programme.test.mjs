// End-to-end 30-day programme, in German: a manager opens the programme from the plan,
// starts it, ticks a task done by hand through its form and sees its phase's progress
// change; the calendar file is offered.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { asAdmin, launchBrowser, startServer } from './support.mjs';

describe('30-day programme', () => {
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

  test('a manager starts the programme and ticks a task of a phase', async () => {
    await asAdmin(browser, server, 'programme-end-to-end', async (page) => {
      await page.goto('/actions');
      await page.locator('main').getByRole('link', { name: '30-Tage-Programm', exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/programme');
      assert.match(await page.locator('main').innerText(), /Das Programm ist noch nicht gestartet\./);

      // A mistake first: the day comes back with its error at the field.
      await page.getByLabel('Erster Tag', { exact: true }).fill('01.01.2020');
      await page.getByRole('button', { name: 'Programm starten', exact: true }).click();
      await page.waitForSelector('#start_day[aria-invalid="true"]');
      assert.match(await page.locator('#start_day-error').innerText(), /JJJJ-MM-TT|YYYY-MM-DD/);

      // Started long ago: day 30 is past, the request handling is overdue.
      await page.getByLabel('Erster Tag', { exact: true }).fill('2020-01-01');
      await page.getByRole('button', { name: 'Programm starten', exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/programme');
      assert.match(await page.locator('#programme-round').innerText(), /Runde 1/);
      const phase = page.locator('#phase-requests');
      assert.match(await phase.locator('h2').innerText(), /Anfragenbearbeitung\s+überfällig/);
      assert.match(await phase.locator('.phase-dates').innerText(), /Tag 11 bis 15: 11\.01\.2020 – 15\.01\.2020/);
      assert.match(await page.locator('#phase-requests-progress').innerText(), /0 von 3 erledigt/);
      assert.equal(await page.locator('#phase-requests-progress progress').getAttribute('value'), '0');
      const training = page.locator('#task-crm_training');
      assert.match(await training.innerText(), /Team geschult/);
      assert.match(await training.innerText(), /überfällig/);
      assert.ok(await page.locator('a[href="/api/v1/programme.ics?lang=de"]').isVisible());

      await training.getByRole('button', { name: 'Als erledigt abhaken', exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/programme');
      assert.match(await page.locator('#phase-requests-progress').innerText(), /1 von 3 erledigt/);
      assert.equal(await page.locator('#phase-requests-progress progress').getAttribute('value'), '1');
      const ticked = page.locator('#task-crm_training');
      assert.match(await ticked.innerText(), /erledigt/);
      assert.match(await ticked.innerText(), /Abgehakt von e2e-admin/);
      assert.ok(await ticked.getByRole('button', { name: 'Wieder öffnen', exact: true }).isVisible());
      assert.match(await page.locator('#programme-progress').innerText(), /1 von 11 Aufgaben erledigt/);
    });
  });
});
