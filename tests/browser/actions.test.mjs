// End-to-end action plan, in German: a CX manager plans an action through the form (a
// mistake first, shown next to its field), sees it ranked on the plan as the quick win with
// its reasons, moves it on with a note and finds the change in its history.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { asAdmin, launchBrowser, logIn, postAsPage, startServer, withPage } from './support.mjs';

describe('action plan', () => {
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

  const manager = { username: 'carla', password: 'ein langes Manager-Passwort 7' };

  /** The admin sets up the manager, a touchpoint with a low NPS and a long action. */
  async function setUp() {
    return asAdmin(browser, server, 'actions-setup', async (page) => {
      await page.goto('/admin/users');
      await page.getByLabel('Benutzername', { exact: true }).fill(manager.username);
      await page.getByLabel('Anzeigename', { exact: true }).fill('Carla Berger');
      await page.getByLabel('Rolle', { exact: true }).selectOption('manager');
      await page.getByLabel('Passwort', { exact: true }).fill(manager.password);
      await page.getByRole('button', { name: 'Konto anlegen', exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/admin/users');
      assert.match(await page.locator('main').innerText(), /Carla Berger/);

      const hotline = await postAsPage(page, '/api/v1/touchpoints', {
        name: 'Hotline',
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
      // Half a year and no effort stated: more points than a quick fix, but no quick win.
      const long = await postAsPage(page, '/api/v1/actions', {
        kind: 'optimise',
        title: 'Hotline neu aufstellen',
        touchpoint_ids: [hotline.id],
        start: '2027-01-04',
        due: '2027-06-30',
      });
      return { hotline, long };
    });
  }

  test('a manager plans an action, sees it ranked as the quick win and moves it on', async () => {
    const { long } = await setUp();
    const context = await browser.newContext({ locale: 'de-DE', baseURL: server.url });
    try {
      await withPage(context, 'actions-end-to-end', async (page) => {
        await logIn(page, manager);
        await page.getByRole('link', { name: 'Maßnahmenplan', exact: true }).click();
        await page.waitForURL((url) => url.pathname === '/actions');
        await page.getByRole('link', { name: 'Neue Maßnahme', exact: true }).click();
        await page.waitForURL((url) => url.pathname === '/actions/new');

        await page.getByLabel('Art', { exact: true }).selectOption('optimise');
        await page.getByLabel('Ziel in Worten', { exact: true }).fill('Rückrufe noch am selben Tag');
        await page.getByLabel('Touchpoints', { exact: true }).selectOption({ label: 'Hotline' });
        await page.getByLabel('Kennzahl', { exact: true }).selectOption('response_p90_hours');
        await page.getByLabel('Zielwert', { exact: true }).fill('4');
        await page.getByLabel('Innerhalb von Tagen', { exact: true }).fill('30');
        await page.getByLabel('Verantwortlich', { exact: true }).selectOption('carla');
        await page.getByLabel('Team', { exact: true }).fill('Kundenservice');
        await page.getByLabel('Personentage', { exact: true }).fill('2,5');
        await page.getByLabel('Start', { exact: true }).fill('2027-01-04');
        await page.getByLabel('Fällig am', { exact: true }).fill('2027-01-13');
        await page.locator('#budget_quarter_0').fill('2027-Q1');
        await page.locator('#budget_planned_0').fill('1.500');

        // Without a title the form comes back with the error at the field and the input kept.
        await page.getByRole('button', { name: 'Speichern', exact: true }).click();
        await page.waitForSelector('#title[aria-invalid="true"]');
        assert.equal(await page.locator('#title-error').innerText(), 'Bitte ausfüllen.');
        assert.equal(await page.getByLabel('Personentage', { exact: true }).inputValue(), '2,5');
        assert.equal(await page.locator('#budget_planned_0').inputValue(), '1.500');

        await page.getByLabel('Titel', { exact: true }).fill('Rückruf-Zusage am Telefon');
        await page.getByRole('button', { name: 'Speichern', exact: true }).click();
        await page.waitForURL((url) => /^\/actions\/\d+$/.test(url.pathname));
        const actionPath = new URL(page.url()).pathname;
        assert.equal(await page.locator('h1').innerText(), 'Rückruf-Zusage am Telefon');
        const facts = await page.locator('dl.facts').innerText();
        assert.match(facts, /Carla Berger/);
        assert.match(facts, /Antwortzeit \(p90\) höchstens 4 h innerhalb von 30 Tagen/);
        assert.match(await page.locator('table.budget').innerText(), /1\.500 €/);

        // Ranked on the plan: the quick win on top, with its rule and its reasons.
        await page.getByRole('link', { name: 'Maßnahmenplan', exact: true }).first().click();
        await page.waitForURL((url) => url.pathname === '/actions');
        const quickWin = page.locator('section.quick-win');
        assert.match(await quickWin.innerText(), /Rückruf-Zusage am Telefon/);
        assert.match(await quickWin.innerText(), /Quick Win: in 10 Tagen erledigt/);
        const rows = page.locator('#plan tbody tr');
        assert.equal(await rows.count(), 2);
        const titles = await page.locator('#plan tbody th a').allInnerTexts();
        assert.deepEqual(titles.map((t) => t.trim()), ['Rückruf-Zusage am Telefon', 'Hotline neu aufstellen']);
        const first = rows.first();
        assert.match(await first.innerText(), /Quick Win/);
        assert.match(await first.locator('ul.parts').innerText(), /NPS -66,7 an einem Touchpoint der Wichtigkeit 5/);
        assert.match(await first.locator('ul.parts').innerText(), /Aufwand 2,5 Personentage und 1\.500 €/);
        assert.equal(await rows.nth(1).getAttribute('data-action'), String(long.id));

        // Moved on with a note, which the history shows with who and from → to.
        await first.locator('th a').click();
        await page.waitForURL((url) => url.pathname === actionPath);
        await page.getByLabel('Neuer Status', { exact: true }).selectOption({ label: 'In Arbeit' });
        await page.getByLabel('Notiz', { exact: true }).fill('Team ist informiert');
        await page.getByRole('button', { name: 'Status ändern', exact: true }).click();
        await page.waitForURL((url) => url.pathname === actionPath);
        assert.equal(await page.locator('#action-status').innerText(), 'In Arbeit');
        const history = page.locator('table.action-history tbody tr');
        assert.equal(await history.count(), 2);
        const newest = await history.first().innerText();
        assert.match(newest, /Carla Berger/);
        assert.match(newest, /Geplant → In Arbeit/);
        assert.match(newest, /Team ist informiert/);
        assert.match(await history.nth(1).innerText(), /Angelegt als Geplant/);

        await page.goto('/actions?status=in_progress');
        assert.deepEqual(
          (await page.locator('#plan tbody th a').allInnerTexts()).map((t) => t.trim()),
          ['Rückruf-Zusage am Telefon'],
        );
      });
    } catch (err) {
      err.message += `\n${server.logs().slice(-4000)}`;
      throw err;
    } finally {
      await context.close();
    }
  });
});
