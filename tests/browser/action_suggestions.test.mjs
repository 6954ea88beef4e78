// End-to-end, in German: the plan suggests an action for an important touchpoint with a low
// NPS that nobody works on yet; the CX manager takes it up as an idea from the plan page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { asAdmin, launchBrowser, logIn, postAsPage, startServer, withPage } from './support.mjs';

describe('suggested actions', () => {
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

  const manager = { username: 'dora', password: 'ein langes Manager-Passwort 8' };

  test('a manager takes up the plan’s suggestion for a weak touchpoint as an idea', async () => {
    await asAdmin(browser, server, 'suggestions-setup', async (page) => {
      await page.goto('/admin/users');
      await page.getByLabel('Benutzername', { exact: true }).fill(manager.username);
      await page.getByLabel('Anzeigename', { exact: true }).fill('Dora Kluge');
      await page.getByLabel('Rolle', { exact: true }).selectOption('manager');
      await page.getByLabel('Passwort', { exact: true }).fill(manager.password);
      await page.getByRole('button', { name: 'Konto anlegen', exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/admin/users');
      const hotline = await postAsPage(page, '/api/v1/touchpoints', {
        name: 'Servicehotline',
        channel: 'phone',
        phase: 'after-purchase',
        importance: { experience: 5, loyalty: 5, referral: 5 },
      });
      // NPS at the hotline: 5 promoters, 25 detractors.
      const responses = Array.from({ length: 30 }, (_, i) => ({
        touchpoint_id: hotline.id,
        metric: 'nps',
        score: i < 5 ? 10 : 2,
        customer_ref: `kd-${i}`,
      }));
      await postAsPage(page, '/api/v1/responses', { responses });
    });

    const context = await browser.newContext({ locale: 'de-DE', baseURL: server.url });
    try {
      await withPage(context, 'suggestions-end-to-end', async (page) => {
        await logIn(page, manager);
        await page.goto('/actions');
        const suggestions = page.locator('section.plan-suggestions');
        await suggestions.waitFor();
        const text = await suggestions.innerText();
        assert.match(text, /Vorschläge/);
        assert.match(text, /Servicehotline verbessern/);
        assert.match(text, /NPS -66,7 an einem Touchpoint der Wichtigkeit 5/);

        await suggestions.getByRole('button', { name: 'Als Idee übernehmen', exact: true }).click();
        await page.waitForURL((url) => /^\/actions\/\d+$/.test(url.pathname));
        assert.equal(await page.locator('h1').innerText(), 'Servicehotline verbessern');
        assert.equal(await page.locator('#action-status').innerText(), 'Idee');

        // Taken up, it is no longer suggested, and it stands in the plan.
        await page.goto('/actions');
        assert.equal(await page.locator('section.plan-suggestions').count(), 0);
        const titles = await page.locator('#plan tbody th a').allInnerTexts();
        assert.deepEqual(titles.map((t) => t.trim()), ['Servicehotline verbessern']);
      });
    } catch (err) {
      err.message += `\n${server.logs().slice(-4000)}`;
      throw err;
    } finally {
      await context.close();
    }
  });
});
