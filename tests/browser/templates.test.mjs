// Reply templates in German: a manager writes one, is shown an unknown variable with its
// line and column, previews it for a real customer and for an unknown one, saves it; on a
// request the template is inserted, filled with the customer's data, into the reply.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { asAdmin, launchBrowser, postAsPage, startServer } from './support.mjs';

describe('reply templates', () => {
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

  test('a template is checked, previewed and inserted into a reply', async () => {
    await asAdmin(browser, server, 'templates', async (page) => {
      await page.goto('/queue');
      const request = await postAsPage(page, '/api/v1/requests', {
        channel: 'email',
        customer: { name: 'Petra Schulz', email: 'petra@example.de', customer_number: 'KD-4711' },
        subject: 'Lieferung',
        body: 'Wo bleibt mein Sofa?',
      });

      await page.goto('/queue');
      await page.getByRole('link', { name: 'Vorlagen', exact: true }).click();
      await page.getByRole('link', { name: 'Neue Vorlage', exact: true }).click();
      await page.getByLabel('Name', { exact: true }).fill('Lieferverzug');
      const text = page.getByLabel('Text', { exact: true });
      await text.fill('{{ greeting }},\nIhre Nummer: {{ kundennummer }}');
      await page.getByRole('button', { name: 'Speichern', exact: true }).click();
      assert.equal(await text.getAttribute('aria-invalid'), 'true');
      await page.getByText('Zeile 2, Spalte 17: unbekannte Variable „kundennummer“').waitFor();

      await text.fill('{{ greeting }},\nIhre Nummer: {{ customer_number or "unbekannt" }}');
      await page.getByLabel('Vorschau für Kundin/Kunde', { exact: true }).fill('petra@example.de');
      await page.getByRole('button', { name: 'Vorschau', exact: true }).click();
      const previews = page.locator('.template-preview pre');
      assert.equal(await previews.count(), 2);
      assert.equal(await previews.nth(0).innerText(), 'Guten Tag Petra Schulz,\nIhre Nummer: KD-4711');
      assert.equal(await previews.nth(1).innerText(), 'Guten Tag,\nIhre Nummer: unbekannt');
      await page.getByRole('button', { name: 'Speichern', exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/queue/templates');
      await page.getByRole('link', { name: 'Lieferverzug', exact: true }).waitFor();

      await page.goto(`/requests/${request.id}`);
      const reply = page.getByLabel('Antwort oder Notiz', { exact: true });
      await reply.fill('Entschuldigung für die Verspätung.');
      await page.getByLabel('Vorlage', { exact: true }).selectOption({ label: 'Lieferverzug (de)' });
      await page.getByRole('button', { name: 'Vorlage einfügen', exact: true }).click();
      assert.equal(
        await reply.inputValue(),
        'Entschuldigung für die Verspätung.\n\nGuten Tag Petra Schulz,\nIhre Nummer: KD-4711',
      );
    });
  });
});
