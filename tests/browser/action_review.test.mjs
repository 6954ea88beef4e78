// End-to-end review and budget of the action plan, in German: a CX manager opens the
// review from the plan and reads a verdict and what to adjust; the budget page draws the
// timeline with the vendored ECharts under the server's Content-Security-Policy, and an
// action's title full of markup stays text in the chart's tooltip.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { asAdmin, launchBrowser, postAsPage, startServer } from './support.mjs';

describe('action plan review and budget', () => {
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

  /** The day `offset` days from today, as YYYY-MM-DD (UTC). */
  function day(offset) {
    const d = new Date();
    d.setUTCDate(d.getUTCDate() + offset);
    return d.toISOString().slice(0, 10);
  }

  test('the review shows each verdict and the budget page draws its timeline', async () => {
    await asAdmin(browser, server, 'action-review', async (page) => {
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto('/actions');
      const hotline = await postAsPage(page, '/api/v1/touchpoints', {
        name: 'Hotline',
        channel: 'phone',
        phase: 'after-purchase',
      });
      // 10 promoters of 40 before the start, 30 of 40 after: NPS −50 to +50.
      const answers = (date, promoters) =>
        Array.from({ length: 40 }, (_, i) => ({
          touchpoint_id: hotline.id,
          metric: 'nps',
          score: i < promoters ? 10 : 2,
          answered_at: `${date}T12:00:00Z`,
        }));
      await postAsPage(page, '/api/v1/responses', { responses: answers(day(-45), 10) });
      await postAsPage(page, '/api/v1/responses', { responses: answers(day(-38), 30) });
      await postAsPage(page, '/api/v1/actions', {
        kind: 'optimise',
        title: '<img src=x onerror=alert(1)> Rückrufe',
        touchpoint_ids: [hotline.id],
        start: day(-40),
        due: day(20),
        status: 'in_progress',
        target: { metric: 'nps', value: 60, within_days: 20 },
        budgets: { '2027-Q1': { planned_cents: 500000, spent_cents: 120000 } },
      });

      await page.goto('/actions');
      await page.getByRole('link', { name: 'Auswertung', exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/actions/review');
      const review = await page.locator('main').innerText();
      assert.match(review, /besser/);
      assert.match(review, /Ziel verfehlt: NPS mindestens 60/);

      await page.goto('/actions');
      await page.getByRole('link', { name: 'Budget und Zeitplan', exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/actions/budget');
      const chart = page.locator('#timeline-chart.drawn canvas');
      await chart.first().waitFor({ state: 'visible' });
      assert.match(await page.locator('#budget-quarters').innerText(), /5\.000 €/);
      // The tooltip shows the title as text: no image is made of it.
      const box = await page.locator('#timeline-chart').boundingBox();
      for (let x = 210; x < box.width; x += 40) {
        await page.mouse.move(box.x + x, box.y + 30);
      }
      assert.equal(await page.locator('#timeline-chart img').count(), 0);
      assert.deepEqual(errors, []);
    });
  });
});
