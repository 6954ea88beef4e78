// End-to-end survey: set up a touchpoint and its survey in the UI, answer it on a phone
// without logging in, and find the answer counted on the dashboard with its chart.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, logIn, startServer, withPage } from './support.mjs';

describe('survey on a phone', () => {
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

  async function inContext(name, options, fn) {
    const context = await browser.newContext({ baseURL: server.url, ...options });
    try {
      return await withPage(context, name, fn);
    } catch (err) {
      err.message += `\n${server.logs().slice(-4000)}`;
      throw err;
    } finally {
      await context.close();
    }
  }

  test('answer on a phone, then see it counted on the dashboard', async () => {
    const link = await inContext('survey-setup', { locale: 'de-DE' }, async (page) => {
      await logIn(page, server.admin);
      await page.goto('/touchpoints/new');
      await page.getByLabel('Name', { exact: true }).fill('Kasse');
      await page.getByLabel('Kanal', { exact: true }).selectOption({ label: 'Filiale' });
      await page.getByLabel('Phase', { exact: true }).selectOption({ label: 'Während des Kaufs' });
      await page
        .locator('form[action="/touchpoints"]')
        .getByRole('button', { name: 'Speichern', exact: true })
        .click();
      await page.waitForURL((url) => /^\/touchpoints\/\d+$/.test(url.pathname));

      await page.getByRole('navigation').getByRole('link', { name: 'Umfragen', exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/surveys');
      await page.getByRole('link', { name: 'Neue Umfrage', exact: true }).click();
      await page.getByLabel('Touchpoint', { exact: true }).selectOption({ label: 'Kasse' });
      // The question fields show the standard question of the metric chosen.
      const question = page.locator('#question_de');
      await page.getByLabel('Kennzahl', { exact: true }).selectOption('csat');
      assert.equal(await question.getAttribute('placeholder'), 'Wie zufrieden waren Sie mit uns?');
      assert.equal(
        await page.locator('#question_en').getAttribute('placeholder'),
        'How satisfied were you with us?',
      );
      await page.getByLabel('Kennzahl', { exact: true }).selectOption('nps');
      assert.match(await question.getAttribute('placeholder'), /^Wie wahrscheinlich ist es/);
      await page.getByRole('button', { name: 'Speichern', exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/surveys');
      const url = await page.locator('input.copy-url').first().inputValue();
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/s\/[a-z0-9]{8}$/);
      return url;
    });

    await inContext(
      'survey-phone',
      { locale: 'de-DE', viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true },
      async (page) => {
        await page.goto(`${link}?c=K-42`);
        await page.getByRole('heading', { name: /Wie wahrscheinlich/ }).waitFor();
        // No sideways scrolling on a small phone.
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 375, `page is ${width}px wide`);
        // Sending without a score names the problem.
        await page.getByRole('button', { name: 'Absenden', exact: true }).tap();
        await page.locator('#score-error').waitFor();
        assert.match(await page.locator('#score-error').innerText(), /Bitte ausfüllen/);
        const nine = page.getByRole('radio', { name: '9', exact: true });
        const box = await page.locator('.score-option').nth(9).boundingBox();
        assert.ok(box && box.height >= 44 && box.width >= 40, `tap target ${JSON.stringify(box)}`);
        await page.locator('.score-option').nth(9).tap();
        assert.ok(await nine.isChecked());
        await page.getByLabel(/Was ist der wichtigste Grund/).fill('Sehr freundlich');
        await page.getByRole('button', { name: 'Absenden', exact: true }).tap();
        await page.getByRole('heading', { name: 'Vielen Dank!' }).waitFor();
      },
    );

    await inContext('survey-dashboard', { locale: 'de-DE' }, async (page) => {
      await logIn(page, server.admin);
      await page.goto('/dashboard?metric=nps');
      const tile = page.locator('.kpi-tile[data-metric="nps"]');
      assert.equal((await tile.locator('.n').innerText()).trim(), '1');
      await page.locator('#trend-chart canvas').waitFor();
      await page.locator('#matrix-chart canvas').waitFor();
      assert.equal(await page.locator('table.breakdown tbody tr').count(), 1);
    });
  });
});
