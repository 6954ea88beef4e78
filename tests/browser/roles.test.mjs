// The journeys of the two people who use the product most, by clicking as they would, in
// German and English, on a desktop and on a phone, with axe-core at every stop:
// a CX manager goes from the dashboard's six metrics to a touchpoint, to what customers
// wrote in its survey, and to its open requests; an agent logs in, lands on the queue,
// opens a request and replies.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { VIEWS, asAccount, axeViolations, launchBrowser, startServer } from './support.mjs';

const WORDS = {
  'de-DE': {
    metrics: ['NPS', 'CSAT', 'CES'],
    customers: 'Kundenbasis, Kundenbindung und Umsatz',
    inventory: 'Inventar',
    scores: 'Bewertungen an diesem Touchpoint',
    answers: 'Antworten:',
    distribution: 'Verteilung der Antworten',
    openRequests: 'Offene Anfragen',
    queue: 'Anfragen',
    reply: 'Antwort senden',
    replyText: 'Antwort oder Notiz',
    greet: /^Anrede einfügen/,
    notByName: /spricht .* nicht mit Namen an/,
    menu: 'Menü',
  },
  'en-GB': {
    metrics: ['NPS', 'CSAT', 'CES'],
    customers: 'Customer base, retention and revenue',
    inventory: 'Inventory',
    scores: 'Scores at this touchpoint',
    answers: 'Answers:',
    distribution: 'Distribution of answers',
    openRequests: 'Open requests',
    queue: 'Queue',
    reply: 'Send reply',
    replyText: 'Answer or note',
    greet: /^Insert greeting/,
    notByName: /does not address .* by name/,
    menu: 'Menu',
  },
};

describe('the journeys of a CX manager and an agent', () => {
  let server;
  let browser;
  const agent = { username: 'e2e-agent', password: 'ein langes Agenten-Passwort 7' };

  before(async () => {
    server = await startServer({ demo: true });
    execFileSync(
      process.env.TOUCHPOINTS_BIN,
      ['user', 'add', agent.username, '--role', 'agent', '--password-stdin', '--database', server.database],
      { input: `${agent.password}\n`, stdio: ['pipe', 'ignore', 'inherit'] },
    );
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const [locale, device, options] of VIEWS) {
    const words = WORDS[locale];

    /** Asserts that axe-core finds nothing on the page as it is now. */
    const accessible = async (page) => {
      const problems = await axeViolations(page);
      assert.deepEqual(problems, [], `${page.url()}:\n${problems.join('\n')}`);
    };

    /** Follows a link of the main menu, opening the menu first on a phone. */
    const menu = async (page, name) => {
      const button = page.getByRole('button', { name: words.menu, exact: true });
      if (await button.isVisible()) await button.click();
      await page.locator('#main-nav').getByRole('link', { name, exact: true }).click();
    };

    test(`a CX manager's journey (${locale}, ${device})`, async () => {
      await asAccount(browser, server, server.admin, { locale, ...options }, `manager-${locale}-${device}`, async (page) => {
        await menu(page, 'Dashboard');
        await page.waitForURL((url) => url.pathname === '/dashboard');
        const tiles = page.locator('.kpi-tile h3');
        for (const metric of words.metrics) {
          assert.ok((await tiles.allInnerTexts()).some((t) => t.includes(metric)), metric);
        }
        const customers = page.locator('#customers-head');
        assert.equal((await customers.innerText()).trim(), words.customers);
        await accessible(page);

        // The best-rated touchpoint of the inventory, with its scores.
        await menu(page, words.inventory);
        await page.waitForURL((url) => url.pathname === '/touchpoints');
        await page.locator('select[name="sort"]').selectOption('nps');
        await page.waitForURL((url) => url.searchParams.get('sort') === 'nps');
        await page.locator('table.inventory tbody a[href^="/touchpoints/"]').first().click();
        await page.waitForURL((url) => /^\/touchpoints\/\d+$/.test(url.pathname));
        assert.equal((await page.locator('#scores-head').innerText()).trim(), words.scores);
        await accessible(page);
        const touchpoint = new URL(page.url()).pathname;

        // What its customers wrote.
        await page.locator('a[href$="/answers"]').first().click();
        await page.waitForURL((url) => /^\/surveys\/\d+\/answers$/.test(url.pathname));
        assert.ok((await page.locator('h1').innerText()).startsWith(words.answers));
        assert.equal((await page.locator('#distribution-head').innerText()).trim(), words.distribution);
        await accessible(page);

        // Its open requests, one of them opened.
        await page.goto(touchpoint);
        assert.equal((await page.locator('#requests-head').innerText()).trim(), words.openRequests);
        const open = page.locator('ul.touchpoint-requests a');
        if ((await open.count()) > 0) {
          await open.first().click();
          await page.waitForURL((url) => /^\/requests\/\d+$/.test(url.pathname));
          await accessible(page);
        }
      });
    });

    test(`an agent's journey (${locale}, ${device})`, async () => {
      await asAccount(browser, server, agent, { locale, ...options }, `agent-${locale}-${device}`, async (page) => {
        assert.equal(new URL(page.url()).pathname, '/queue', 'an agent lands on the queue');
        assert.equal((await page.locator('h1').innerText()).trim(), words.queue);
        await accessible(page);

        await page.locator('#queue-list tbody th a').first().click();
        await page.waitForURL((url) => /^\/requests\/\d+$/.test(url.pathname));
        await accessible(page);
        // A reply without the customer's name breaks the demo's standard: the page says so
        // in its language, and the greeting puts the name in front.
        const text = `Vielen Dank für Ihre Geduld (${locale}, ${device}).`;
        await page.getByLabel(words.replyText, { exact: true }).fill(text);
        await page.getByRole('button', { name: words.reply, exact: true }).click();
        // The answer to the post: the reply refused with its findings, or sent.
        const findings = page.locator('.reply-findings');
        const sent = page.locator('#request-steps', { hasText: text });
        await findings.or(sent).first().waitFor();
        if (await findings.isVisible()) {
          assert.match(await findings.innerText(), words.notByName);
          await accessible(page);
          await page.getByRole('button', { name: words.greet }).click();
          await page.getByRole('button', { name: words.reply, exact: true }).click();
        }
        await page.locator('#request-steps', { hasText: text }).waitFor();
        await accessible(page);
      });
    });
  }
});
