// On a phone the main menu folds behind a button so a page starts on its first screen; an
// agent opens on the queue.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PHONE, launchBrowser, logIn, startServer, withPage } from './support.mjs';

describe('phone menu', () => {
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

  test('the menu folds on a phone and opens with its button', async () => {
    const context = await browser.newContext({ locale: 'de-DE', baseURL: server.url, ...PHONE });
    try {
      await withPage(context, 'phone-menu', async (page) => {
        await logIn(page, server.admin);
        const nav = page.getByRole('navigation', { name: 'Hauptnavigation' });
        const button = page.getByRole('button', { name: 'Menü', exact: true });
        assert.equal(await nav.isVisible(), false, 'folded at first');
        assert.equal(await button.getAttribute('aria-expanded'), 'false');
        const heading = await page.locator('h1').boundingBox();
        assert.ok(heading && heading.y < 667, `the page's heading is on the first screen: ${heading?.y}`);

        await button.click();
        assert.equal(await nav.isVisible(), true);
        assert.equal(await button.getAttribute('aria-expanded'), 'true');
        await nav.getByRole('link', { name: 'Maßnahmenplan', exact: true }).click();
        await page.waitForURL((url) => url.pathname === '/actions');
        assert.equal(await page.getByRole('navigation', { name: 'Hauptnavigation' }).isVisible(), false);
      });

      // On a desktop the menu shows and the button does not.
      const desktop = await browser.newContext({ locale: 'de-DE', baseURL: server.url });
      try {
        await withPage(desktop, 'desktop-menu', async (page) => {
          await logIn(page, server.admin);
          assert.equal(await page.getByRole('navigation', { name: 'Hauptnavigation' }).isVisible(), true);
          assert.equal(await page.getByRole('button', { name: 'Menü', exact: true }).isVisible(), false);
        });
      } finally {
        await desktop.close();
      }
    } catch (err) {
      err.message += `\n${server.logs().slice(-4000)}`;
      throw err;
    } finally {
      await context.close();
    }
  });
});
