// End-to-end dashboard: the importance–performance matrix's tooltip shows a touchpoint's
// name as text, whatever markup the name holds.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { asAdmin, launchBrowser, postAsPage, startServer } from './support.mjs';

// Names a manager may type: markup that would run or navigate if a tooltip took it as HTML.
const IMG = '<img src=x onerror="document.title=\'pwned\'">';
const META = '<meta http-equiv="refresh" content="0;url=/login?pwned">';

describe('dashboard matrix', () => {
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

  const inBrowser = (name, fn) => asAdmin(browser, server, name, fn);

  test('the matrix tooltip shows a name with markup as text and runs none of it', async () => {
    await inBrowser('dashboard-matrix-tooltip', async (page) => {
      await page.goto('/dashboard');
      // Far apart in the matrix: important and liked, unimportant and disliked.
      const answers = [];
      for (const [name, level, score] of [[IMG, 5, 10], [META, 1, 0]]) {
        const touchpoint = await postAsPage(page, '/api/v1/touchpoints', {
          name,
          channel: 'store',
          phase: 'during-purchase',
          importance: { experience: level, loyalty: level, referral: level },
        });
        answers.push({ touchpoint_id: touchpoint.id, metric: 'nps', score });
      }
      await postAsPage(page, '/api/v1/responses', { responses: answers });

      await page.goto('/dashboard?metric=nps');
      await page.locator('#matrix-chart canvas').waitFor();
      await page.locator('#matrix-chart').scrollIntoViewIfNeeded();
      const title = await page.title();
      // A reload or a navigation would lose this.
      await page.evaluate(() => {
        window.stillHere = true;
      });
      const points = await page.evaluate(() => {
        const el = document.getElementById('matrix-chart');
        const chart = window.echarts.getInstanceByDom(el);
        const box = el.getBoundingClientRect();
        return chart.getOption().series[0].data.map((d) => {
          const [x, y] = chart.convertToPixel({ seriesIndex: 0 }, d.value);
          return { name: d.name, x: box.left + x, y: box.top + y };
        });
      });
      assert.deepEqual(points.map((p) => p.name).sort(), [IMG, META].sort());

      for (const point of points) {
        await page.mouse.move(0, 0);
        await page.mouse.move(point.x, point.y, { steps: 4 });
        // The tooltip ECharts puts into the chart's element, showing this point.
        const tooltip = await page.waitForFunction(
          (name) =>
            [...document.querySelectorAll('#matrix-chart div')].find(
              (d) => d.style.position === 'absolute' && d.textContent.includes(name),
            ),
          point.name,
          { timeout: 5_000 },
        );
        const shown = await tooltip.evaluate((d) => ({
          text: d.textContent,
          elements: [...d.querySelectorAll('img, meta, script')].length,
        }));
        assert.ok(shown.text.startsWith(point.name), shown.text);
        assert.equal(shown.elements, 0, `markup in the tooltip: ${shown.text}`);
      }

      // Give a refresh or an error handler the time it would need.
      await delay(1_500);
      assert.equal(new URL(page.url()).pathname, '/dashboard');
      assert.equal(await page.evaluate(() => window.stillHere), true);
      assert.equal(await page.title(), title);
      assert.equal(await page.locator('img[src="x"], meta[http-equiv="refresh"]').count(), 0);
    });
  });
});
