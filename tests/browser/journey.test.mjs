// End-to-end journey: create a touchpoint in the German UI, find it on the
// journey map, the validation error case, and switching the language.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, logIn, postAsPage, startServer, withPage } from './support.mjs';

const DETAIL_PATH = /^\/touchpoints\/(?!new$)[^/]+$/;

describe('touchpoint journey', () => {
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

  /**
   * A fresh browser context (own cookies) in `locale`, logged in as the admin, one page,
   * screenshot on failure.
   */
  async function inBrowser(name, locale, fn) {
    const context = await browser.newContext({ locale, baseURL: server.url });
    try {
      return await withPage(context, name, async (page) => {
        await logIn(page, server.admin);
        return fn(page);
      });
    } catch (err) {
      err.message += `\n${server.logs().slice(-4000)}`;
      throw err;
    } finally {
      await context.close();
    }
  }

  const pathOf = (page) => new URL(page.url()).pathname;

  async function h1(page) {
    return (await page.locator('h1').first().innerText()).trim();
  }

  test('create a touchpoint in German and find it on the journey map', async () => {
    const name = 'Kundenkarte an der Kasse';
    await inBrowser('create-and-journey', 'de-DE', async (page) => {
      await page.goto('/touchpoints/new');
      const form = page.locator('form[method="post"][action="/touchpoints"]');
      await form.waitFor();

      await page.getByLabel('Name', { exact: true }).fill(name);
      await page
        .getByLabel('Beschreibung', { exact: true })
        .fill('Treuekarte wird beim Bezahlen gescannt.');
      await page.getByLabel('Kanal', { exact: true }).selectOption({ label: 'Filiale' });
      await page.getByLabel('Phase', { exact: true }).selectOption({ label: 'Während des Kaufs' });
      await page.getByLabel('Verantwortlich', { exact: true }).fill('Team Filiale');
      await page.getByLabel('Zielgruppen', { exact: true }).fill('Familien, Best Ager');
      await page.getByLabel('Regionen', { exact: true }).fill('Nord');
      assert.equal(await page.getByLabel('Kanal', { exact: true }).inputValue(), 'store');
      assert.equal(await page.getByLabel('Phase', { exact: true }).inputValue(), 'during-purchase');

      await form.getByRole('button', { name: 'Speichern', exact: true }).click();
      await page.waitForURL((url) => DETAIL_PATH.test(url.pathname));
      const detailPath = pathOf(page);
      assert.equal(await h1(page), name);

      await page
        .getByRole('navigation')
        .getByRole('link', { name: 'Journey-Map', exact: true })
        .first()
        .click();
      await page.waitForURL((url) => url.pathname === '/journey');
      assert.equal(await h1(page), 'Journey-Map');

      const cell = page.locator(
        'table.journey td[data-channel="store"][data-phase="during-purchase"]',
      );
      assert.equal(await cell.count(), 1, 'exactly one store × during-purchase cell');
      const card = cell.locator('a.card', { hasText: name });
      assert.equal(await card.count(), 1, 'the new touchpoint has one card in its cell');
      const classes = ((await card.getAttribute('class')) ?? '').split(/\s+/);
      assert.ok(
        classes.some((c) => ['status-active', 'status-planned', 'status-retired'].includes(c)),
        `card has a status class, got "${classes.join(' ')}"`,
      );

      await card.click();
      await page.waitForURL((url) => url.pathname === detailPath);
      assert.equal(await h1(page), name);
    });
  });

  test('a long German name breaks inside its card, and the importance stays in it', async () => {
    const name = 'Kundenzufriedenheitsrückmeldungsformular';
    await inBrowser('long-name', 'de-DE', async (page) => {
      await page.goto('/touchpoints/new');
      await postAsPage(page, '/api/v1/touchpoints', {
        name,
        channel: 'website',
        phase: 'after-purchase',
        importance: { experience: 5, loyalty: 4, referral: 4 },
      });
      await page.goto('/journey');
      const card = page.locator('a.card', { hasText: name });
      await card.waitFor();
      const fits = await card.evaluate((el) => {
        const box = el.getBoundingClientRect();
        const importance = el.querySelector('.importance').getBoundingClientRect();
        return {
          overflow: el.scrollWidth - el.clientWidth,
          inside: importance.left >= box.left && importance.right <= box.right + 0.5,
        };
      });
      assert.equal(fits.overflow, 0, 'the name does not run out of its card');
      assert.ok(fits.inside, 'the importance stays inside the card');
    });
  });

  test('an empty name re-renders the form with an accessible error and keeps the values', async () => {
    const description = 'Diese Beschreibung darf nirgends gespeichert werden 7f3a';
    await inBrowser('empty-name', 'de-DE', async (page) => {
      await page.goto('/touchpoints/new');
      const form = page.locator('form[method="post"][action="/touchpoints"]');
      await form.waitFor();
      // Test the server's validation, not the browser's (`required` is welcome in the markup).
      await form.evaluate((f) => {
        f.noValidate = true;
      });

      await page.getByLabel('Name', { exact: true }).fill('');
      await page.getByLabel('Beschreibung', { exact: true }).fill(description);
      await page.getByLabel('Kanal', { exact: true }).selectOption({ label: 'Filiale' });
      await page.getByLabel('Phase', { exact: true }).selectOption({ label: 'Während des Kaufs' });
      await page.getByLabel('Verantwortlich', { exact: true }).fill('Team Validierung');
      await page.getByLabel('Zielgruppen', { exact: true }).fill('Familien, Best Ager');
      await page.getByLabel('Regionen', { exact: true }).fill('Süd');

      const response = page.waitForResponse(
        (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/touchpoints',
      );
      await form.getByRole('button', { name: 'Speichern', exact: true }).click();
      assert.equal((await response).status(), 422);
      await page.waitForLoadState('load');

      const nameInput = page.getByLabel('Name', { exact: true });
      await nameInput.waitFor();
      assert.equal(await nameInput.getAttribute('aria-invalid'), 'true');
      const describedBy = ((await nameInput.getAttribute('aria-describedby')) ?? '')
        .split(/\s+/)
        .filter(Boolean);
      assert.ok(describedBy.length > 0, 'Name input has aria-describedby');
      let errorText = '';
      for (const id of describedBy) {
        const el = page.locator(`[id="${id}"]`);
        if ((await el.count()) !== 1) continue;
        const isFieldError = await el.evaluate((e) => e.classList.contains('field-error'));
        if (isFieldError && (await el.isVisible())) {
          errorText = (await el.innerText()).trim();
          break;
        }
      }
      assert.ok(
        errorText.length > 0,
        `aria-describedby (${describedBy.join(' ')}) points to a visible .field-error with text`,
      );

      assert.equal(await page.getByLabel('Beschreibung', { exact: true }).inputValue(), description);
      assert.equal(await page.getByLabel('Kanal', { exact: true }).inputValue(), 'store');
      assert.equal(
        await page.getByLabel('Phase', { exact: true }).inputValue(),
        'during-purchase',
      );
      assert.equal(
        await page.getByLabel('Verantwortlich', { exact: true }).inputValue(),
        'Team Validierung',
      );
      assert.match(
        await page.getByLabel('Zielgruppen', { exact: true }).inputValue(),
        /^Familien,\s*Best Ager$/,
      );
      assert.equal(await page.getByLabel('Regionen', { exact: true }).inputValue(), 'Süd');

      // Nothing was created.
      const list = await page.goto('/touchpoints');
      assert.equal(list?.status(), 200);
      const body = await page.locator('body').innerText();
      assert.ok(!body.includes(description), 'the inventory does not list the rejected entry');
      assert.ok(!(await page.content()).includes(description), 'nor does its markup');
    });
  });

  test('the language follows Accept-Language and switches to English with ?lang=en', async () => {
    await inBrowser('language-de-to-en', 'de-DE', async (page) => {
      await page.goto('/journey');
      assert.equal(await h1(page), 'Journey-Map');

      await page.goto('/journey?lang=en');
      assert.equal(await h1(page), 'Journey map');
      const cookies = await page.context().cookies();
      assert.ok(
        cookies.some((c) => c.name === 'lang' && c.value === 'en'),
        `?lang=en sets the cookie lang=en, got ${JSON.stringify(cookies.map((c) => `${c.name}=${c.value}`))}`,
      );

      // The cookie wins over Accept-Language on later pages.
      await page.goto('/journey');
      assert.equal(await h1(page), 'Journey map');
    });

    await inBrowser('language-accept-en', 'en-US', async (page) => {
      await page.goto('/journey');
      assert.equal(await h1(page), 'Journey map');
    });
  });

  test('without a login every page leads to the login form, and a wrong password is refused', async () => {
    const context = await browser.newContext({ locale: 'de-DE', baseURL: server.url });
    try {
      await withPage(context, 'login-required', async (page) => {
        await page.goto('/journey');
        assert.equal(pathOf(page), '/login');
        assert.equal(await h1(page), 'Anmelden');
        await page.getByLabel('Benutzername', { exact: true }).fill(server.admin.username);
        await page.getByLabel('Passwort', { exact: true }).fill('falsches Passwort 123');
        await page.getByRole('button', { name: 'Anmelden' }).click();
        await page.getByText('Benutzername oder Passwort ist falsch.').waitFor();
        assert.equal(pathOf(page), '/login');

        await page.getByLabel('Passwort', { exact: true }).fill(server.admin.password);
        await page.getByRole('button', { name: 'Anmelden' }).click();
        await page.waitForURL((url) => url.pathname === '/journey');
        assert.equal(await h1(page), 'Journey-Map');

        await page.getByRole('button', { name: 'Abmelden' }).click();
        await page.waitForURL((url) => url.pathname === '/login');
        await page.goto('/touchpoints');
        assert.equal(pathOf(page), '/login', 'the session ended with the logout');
      });
    } finally {
      await context.close();
    }
  });
});
