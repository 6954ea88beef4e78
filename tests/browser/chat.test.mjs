// The 24/7 chat on its preview page, with the demo company's guideline and FAQ: a customer asks in German and in English
// and gets answers that cite the guideline and the FAQ; one customer asks for a person, an
// agent takes the chat in the queue and answers live, the customer sees the reply, writes
// back, and rates the chat once the agent has resolved it. Widget and agent side together.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { asAdmin, launchBrowser, startServer, withPage } from './support.mjs';

describe('chat', () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer({ demo: true });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A customer's browser on the demo website page, in `locale`. */
  async function asCustomer(name, locale, path, fn) {
    const context = await browser.newContext({ locale, baseURL: server.url });
    try {
      return await withPage(context, name, fn);
    } catch (err) {
      err.message += `\n${server.logs().slice(-4000)}`;
      throw err;
    } finally {
      await context.close();
    }
  }

  test('the bot answers in English from the English FAQ and names the source', async () => {
    await asCustomer('chat-english', 'en-GB', '/chat/preview?lang=en', async (page) => {
      await page.goto('/chat/preview?lang=en');
      await page.getByRole('button', { name: 'Open chat' }).click();
      const log = page.getByRole('log');
      await log.getByText('Hello!').waitFor();
      await page.getByLabel('Your question …').fill('How long does delivery take?');
      await page.keyboard.press('Enter');
      await log.getByText('Delivery takes up to 14 days.', { exact: false }).waitFor();
      await log.getByText('Source: Help & FAQ – How long does delivery take?').waitFor();
      // Escape closes the panel and gives the focus back to the launcher.
      await page.keyboard.press('Escape');
      assert.equal(await page.getByRole('button', { name: 'Open chat' }).isVisible(), true);
    });
  });

  test('a customer is handed to a person who answers live, and rates the chat', async () => {
    await asCustomer('chat-customer', 'de-DE', '/chat/preview', async (customer) => {
      await customer.goto('/chat/preview');
      await customer.getByRole('button', { name: 'Chat öffnen' }).click();
      const log = customer.getByRole('log');
      await customer.getByLabel('Ihre Frage …').fill('Ab welchem Bestellwert liefert ihr versandkostenfrei?');
      await customer.getByRole('button', { name: 'Senden' }).click();
      await log.getByText('Versandkostenfrei ab 49 € Bestellwert.').waitFor();
      await log.getByText('Quelle: Hilfe & FAQ – Ab welchem Bestellwert liefern Sie versandkostenfrei?').waitFor();
      await customer.getByLabel('Ihre Frage …').fill('Kann ich ein Sofa mieten?');
      await customer.getByRole('button', { name: 'Senden' }).click();
      await log.getByText('Da bin ich mir nicht sicher', { exact: false }).waitFor();

      await customer.getByRole('button', { name: 'Mit einer Person sprechen' }).click();
      await customer.getByLabel('Ihr Name (freiwillig)').fill('Mia Hoffmann');
      await customer.getByRole('button', { name: 'Übergeben' }).click();
      await log.getByText('Ich habe Sie an unser Team übergeben', { exact: false }).or(
        log.getByText('Gerade ist niemand aus unserem Team da', { exact: false }),
      ).waitFor();

      await asAdmin(browser, server, 'chat-agent', async (agent) => {
        await agent.goto('/queue?channel=chat');
        await agent.getByRole('link', { name: 'Ab welchem Bestellwert liefert ihr versandkostenfrei?' }).click();
        // The transcript is the request's text; opening it tells the customer it was read.
        await agent.getByText('Kunde: Kann ich ein Sofa mieten?', { exact: false }).waitFor();
        await customer.getByText('Gelesen').waitFor();

        const reply = agent.getByLabel('Antwort oder Notiz', { exact: true });
        await reply.fill('Guten Tag Mia Hoffmann, Sofas vermieten wir nicht, aber Sie können in Raten zahlen.');
        await customer.getByText('Eine Person schreibt …').waitFor();
        await agent.getByRole('button', { name: 'Antwort senden', exact: true }).click();
        const anyway = agent.getByRole('button', { name: 'Trotzdem senden', exact: true });
        if (await anyway.isVisible()) await anyway.click();
        await log.getByText('Sofas vermieten wir nicht', { exact: false }).waitFor();

        // The customer's answer appears on the agent's page without a reload, as text: the
        // markup in it runs nowhere.
        const markup = 'Danke <img src=x onerror="window.__pwned=1"> das schaue ich mir an!';
        await customer.getByLabel('Ihre Frage …').fill(markup);
        await customer.getByRole('button', { name: 'Senden' }).click();
        await agent.locator('#request-steps').getByText(markup).waitFor();
        await log.getByText(markup).waitFor();
        assert.equal(await agent.evaluate(() => window.__pwned), undefined);
        assert.equal(await customer.evaluate(() => window.__pwned), undefined);

        await agent.getByRole('button', { name: 'Erledigen', exact: true }).click();
        // The page comes back resolved; closing it while it still loads can hang Chromium.
        await agent.locator('.page-head').getByText('erledigt', { exact: false }).waitFor();
      });

      await customer.getByText('Wie zufrieden waren Sie mit dem Chat?').waitFor();
      await customer.getByRole('button', { name: '5 von 5' }).click();
      await customer.getByText('Danke für Ihre Bewertung!').waitFor();
      // The messages were text, never markup.
      assert.equal(await log.locator('li b, li script, li img').count(), 0);
    });
  });
});
