// Stored cross-site scripting: text that customers and staff type — a request's subject, body
// and sender name, a touchpoint's name, a channel's or phase's label, a survey's questions and
// a customer's free-text answer — is shown as text on every page that shows it, and none of it
// runs, navigates or loads anything.
//
// The browser contexts bypass the Content-Security-Policy on purpose: the policy is a second
// line, and these tests check the first one (escaping in the templates and the chart
// formatters). With the policy in place an injected `onerror` would be blocked and a hole would
// go unnoticed; without it, one would set `window.__xss`. Each payload must also be found as
// literal text where the page shows it, so that a page that silently dropped it fails too.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { launchBrowser, logIn, postAsPage, startServer, withPage } from './support.mjs';

const IMG = '<img src=x onerror="window.__xss=1">';
const SCRIPT = '<script>window.__xss=1</script>';
const SVG = '"><svg onload=window.__xss=1>';
const META = '<meta http-equiv=refresh content="0;url=http://127.0.0.1:9/">';
// Labels are at most 60 characters: the same refresh, written short.
const META_SHORT = '<meta http-equiv=refresh content=0;url=//127.0.0.1:9/>';
const LINK = '<a href="javascript:window.__xss=1">klick</a> javascript:window.__xss=1';
const TEMPLATE = '{{7*7}} {% raw %}roh{% endraw %} ${7*7} {{ config }}';
const PAYLOADS = { IMG, SCRIPT, SVG, META, LINK, TEMPLATE };

// Elements that only an injection would put on these pages.
const INJECTED = [
  'img[src="x"]',
  'svg[onload]',
  '[onerror]',
  '[onload]',
  'meta[http-equiv="refresh" i]',
  'script:not([src]):not([type="application/json"])',
  'a[href^="javascript:" i]',
].join(', ');

/**
 * Watches `page` for everything an injection would cause: a dialog, a request to the
 * attacker's address, a navigation of the main frame.
 */
function watch(page) {
  const seen = { dialogs: [], requests: [], navigations: [] };
  page.on('dialog', (dialog) => {
    seen.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.hostname === '127.0.0.1' && url.port === '9') seen.requests.push(request.url());
    if (url.protocol === 'javascript:') seen.requests.push(request.url());
  });
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) seen.navigations.push(frame.url());
  });
  return seen;
}

/**
 * Opens `path` and, after a wait long enough for a refresh or a handler to act, asserts that
 * nothing ran: no `window.__xss`, no dialog, no request to 127.0.0.1:9, still on the same URL,
 * no injected element.
 */
async function visit(page, seen, path) {
  await page.goto(path);
  await page.waitForLoadState('load');
  await settle(page, seen, path);
}

async function settle(page, seen, path) {
  const url = page.url();
  const navigations = seen.navigations.length;
  await page.evaluate(() => {
    window.__stillHere = true;
  });
  await delay(600);
  assert.equal(page.url(), url, `${path}: the page navigated`);
  assert.equal(seen.navigations.length, navigations, `${path}: navigated to ${seen.navigations.slice(navigations)}`);
  assert.equal(await page.evaluate(() => window.__stillHere), true, `${path}: the page was reloaded`);
  assert.equal(await page.evaluate(() => typeof window.__xss), 'undefined', `${path}: a payload ran`);
  assert.deepEqual(seen.dialogs, [], `${path}: a dialog opened`);
  assert.deepEqual(seen.requests, [], `${path}: a request went to the payload's address`);
  const injected = await page.evaluate(
    (selector) => [...document.querySelectorAll(selector)].map((e) => e.outerHTML),
    INJECTED,
  );
  assert.deepEqual(injected, [], `${path}: markup from a payload became elements`);
}

/** The text of every element matching `selector`, as the DOM holds it. */
async function texts(page, selector) {
  return page.locator(selector).evaluateAll((els) => els.map((e) => e.textContent));
}

/** Asserts that some element matching `selector` shows `payload` as text. */
async function showsText(page, selector, payload, where) {
  const all = await texts(page, selector);
  assert.ok(
    all.some((t) => t.includes(payload)),
    `${where}: ${JSON.stringify(payload)} is not shown as text in ${selector}: ${JSON.stringify(all)}`,
  );
}

/** Sends `body` as JSON with the page's session and CSRF token; returns the answer's JSON. */
async function sendAsPage(page, method, path, body) {
  const csrf = await page.locator('input[name="_csrf"]').first().getAttribute('value');
  assert.ok(csrf, "the page carries its session's CSRF token");
  const response = await page.request.fetch(path, { method, data: body, headers: { 'X-CSRF-Token': csrf } });
  assert.ok(response.ok(), `${method} ${path}: ${response.status()} ${await response.text()}`);
  return response.status() === 204 ? null : response.json();
}

/** Moves the mouse onto the points of the ECharts chart in `#id` and returns the tooltips' HTML. */
async function hoverPoints(page, id, seriesIndex) {
  await page.locator(`#${id} canvas`).waitFor();
  await page.locator(`#${id}`).scrollIntoViewIfNeeded();
  // The chart is drawn at its element's width, not at ECharts' fallback width of an
  // element still hidden when the drawing began.
  const fits = (id) => {
    const el = document.getElementById(id);
    return Math.abs(el.querySelector('canvas').clientWidth - el.clientWidth) < 2;
  };
  assert.ok(await page.evaluate(fits, id), `#${id} is not drawn at its element's width`);
  const points = await page.evaluate(
    ([id, seriesIndex]) => {
      const el = document.getElementById(id);
      const chart = window.echarts.getInstanceByDom(el);
      const box = el.getBoundingClientRect();
      const series = chart.getOption().series[seriesIndex];
      return series.data
        .map((d, i) => {
          const value = Array.isArray(d?.value) ? d.value : [i, d?.value ?? d];
          if (value[1] === null || value[1] === undefined) return null;
          const [x, y] = chart.convertToPixel({ seriesIndex }, value);
          return { index: i, name: d?.name ?? null, x: box.left + x, y: box.top + y };
        })
        .filter(Boolean);
    },
    [id, seriesIndex],
  );
  assert.ok(points.length > 0, `#${id} has points`);
  const shown = [];
  const tooltipShowing = (name, timeout) =>
    page.waitForFunction(
      ([id, name]) =>
        [...document.querySelectorAll(`#${id} div`)].find(
          (d) =>
            d.style.position === 'absolute' &&
            d.style.display !== 'none' &&
            d.textContent.trim() !== '' &&
            (name === null || d.textContent.includes(name)),
        ),
      [id, name],
      { timeout },
    );
  for (const point of points) {
    await page.mouse.move(0, 0);
    await page.mouse.move(point.x, point.y, { steps: 4 });
    let tooltip;
    let by = 'mouse';
    try {
      tooltip = await tooltipShowing(point.name, 2_000);
    } catch {
      by = 'action';
      // Another point or its label lies on top of this one: the same tooltip, asked for
      // by the chart's own action instead of the mouse.
      await page.evaluate(
        ([id, seriesIndex, dataIndex]) =>
          window.echarts.getInstanceByDom(document.getElementById(id)).dispatchAction({ type: 'showTip', seriesIndex, dataIndex }),
        [id, seriesIndex, point.index],
      );
      tooltip = await tooltipShowing(point.name, 5_000);
    }
    shown.push({
      name: point.name,
      by,
      ...(await tooltip.evaluate((d) => ({
        text: d.textContent,
        html: d.innerHTML,
        elements: [...d.querySelectorAll('*')].filter((e) => !['BR', 'SPAN', 'DIV'].includes(e.tagName)).length,
      }))),
    });
  }
  return shown;
}

describe('stored cross-site scripting', () => {
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

  /** A fresh context without the CSP, logged in as the admin (or not, with `login: false`). */
  async function inBrowser(name, fn, { login = true, ...options } = {}) {
    const context = await browser.newContext({ locale: 'de-DE', baseURL: server.url, bypassCSP: true, ...options });
    try {
      return await withPage(context, name, async (page) => {
        const seen = watch(page);
        if (login) await logIn(page, server.admin);
        return fn(page, seen);
      });
    } catch (err) {
      err.message += `\n${server.logs().slice(-4000)}`;
      throw err;
    } finally {
      await context.close();
    }
  }

  test("a customer's subject, body and name show as text on the queue, request and profile pages", async () => {
    await inBrowser('xss-requests', async (page, seen) => {
      await page.goto('/queue?view=all');
      // The detector works: markup that does get into the page runs here, the policy bypassed.
      await page.evaluate((html) => document.body.insertAdjacentHTML('beforeend', html), IMG);
      await page.waitForFunction(() => window.__xss === 1, null, { timeout: 5_000 });
      await page.reload();
      const touchpoint = await postAsPage(page, '/api/v1/touchpoints', {
        name: `Postfach ${IMG}`,
        channel: 'email',
        phase: 'after-purchase',
        importance: { experience: 3, loyalty: 3, referral: 3 },
      });
      const sent = [];
      let n = 0;
      for (const [key, payload] of Object.entries(PAYLOADS)) {
        n += 1;
        const body = `Guten Tag,\n${payload}\n${Object.values(PAYLOADS).join('\n')}\nGruß`;
        const result = await postAsPage(page, '/api/v1/requests', {
          channel: 'email',
          touchpoint_id: touchpoint.id,
          customer: { name: `Kundin ${payload}`, email: `xss-${n}@example.de` },
          subject: `Betreff ${payload}`,
          body,
          external_id: `xss-${key}`,
        });
        sent.push({ key, payload, body, id: result.id, customer_id: result.customer_id });
      }
      // A customer's profile with markup everywhere an integration can write.
      const profile = sent[0];
      await sendAsPage(page, 'PUT', `/api/v1/customers/${profile.customer_id}`, {
        name: `Kundin ${IMG}`,
        salutation: SVG,
        segments: [SCRIPT, TEMPLATE],
        attributes: { [IMG]: LINK, Notiz: META },
      });

      // The queue.
      await visit(page, seen, '/queue?view=all');
      for (const s of sent) {
        await showsText(page, '#queue-list tbody th a', `Betreff ${s.payload}`, 'queue subject');
        await showsText(page, '#queue-list tbody td a[href^="/customers/"]', `Kundin ${s.payload}`, 'queue customer');
      }
      await showsText(page, '#queue-list tbody td', `Postfach ${IMG}`, 'queue touchpoint');
      await showsText(page, '#touchpoint_id option', `Postfach ${IMG}`, 'queue touchpoint filter');

      // A request that arrives while the queue is open is put in by the page's script.
      const refreshed = await page.locator('#queue-list').getAttribute('data-refreshed');
      const live = await postAsPage(page, '/api/v1/requests', {
        channel: 'email',
        customer: { name: `Live ${SVG}`, email: 'xss-live@example.de' },
        subject: `Live ${IMG} ${SCRIPT} ${META}`,
        body: LINK,
      });
      await page.waitForFunction(
        (n) => document.querySelectorAll('#queue-list tbody tr').length === n,
        sent.length + 1,
        { timeout: 10_000 },
      );
      assert.notEqual(await page.locator('#queue-list').getAttribute('data-refreshed'), refreshed);
      await settle(page, seen, '/queue (live update)');
      await showsText(page, `#queue-list tr[data-id="${live.id}"] th a`, `Live ${IMG} ${SCRIPT} ${META}`, 'live row subject');
      await showsText(page, `#queue-list tr[data-id="${live.id}"] td a`, `Live ${SVG}`, 'live row customer');

      // Each request's own page.
      for (const s of sent) {
        const path = `/requests/${s.id}`;
        await visit(page, seen, path);
        assert.equal((await texts(page, '.page-head h1'))[0], `Betreff ${s.payload}`, `${path}: heading`);
        assert.ok((await page.title()).startsWith(`Betreff ${s.payload} · `), `${path}: title`);
        assert.equal((await texts(page, '.customer-message .notes'))[0], s.body, `${path}: body`);
        await showsText(page, '.customer-message .hint', `Kundin ${s.payload}`, `${path}: sender`);
        await showsText(page, 'aside.request-customer h2', `Kundin ${s.payload}`, `${path}: profile`);
        await showsText(page, 'aside.request-customer ul.history a', `Betreff ${s.payload}`, `${path}: history`);
        await showsText(page, 'dl.facts dd', `Postfach ${IMG}`, `${path}: touchpoint`);
      }

      // A reply with markup, shown in the request's steps.
      await page.getByLabel('Antwort oder Notiz', { exact: true }).fill(`Antwort ${SCRIPT} ${META}`);
      await page.getByRole('button', { name: 'Antwort senden', exact: true }).click();
      await page.waitForURL((url) => url.pathname === `/requests/${sent.at(-1).id}`);
      await settle(page, seen, 'request after a reply');
      await showsText(page, 'ol.steps .notes', `Antwort ${SCRIPT} ${META}`, 'reply');

      // The customer's profile.
      for (const s of sent) {
        const path = `/customers/${s.customer_id}`;
        await visit(page, seen, path);
        assert.equal((await texts(page, '.page-head h1'))[0], `Kundin ${s.payload}`, `${path}: heading`);
        await showsText(page, 'ul.history a', `Betreff ${s.payload}`, `${path}: history`);
      }
      await visit(page, seen, `/customers/${profile.customer_id}`);
      const facts = (await texts(page, 'dl.facts'))[0];
      for (const expected of [SVG, `${SCRIPT}, ${TEMPLATE}`, META, LINK, IMG]) {
        assert.ok(facts.includes(expected), `profile facts lack ${JSON.stringify(expected)}: ${facts}`);
      }
    });
  });

  test('touchpoint names, channel and phase labels show as text in the charts, tables and the journey map', async () => {
    await inBrowser('xss-charts', async (page, seen) => {
      await page.goto('/dashboard');
      await sendAsPage(page, 'PUT', '/api/v1/channels/xss-kanal', {
        label_de: `Kanal ${IMG}`,
        label_en: `Channel ${SVG}`,
        kind: 'digital',
        position: 99,
      });
      await sendAsPage(page, 'PUT', '/api/v1/phases/xss-phase', {
        label_de: META_SHORT,
        label_en: `Phase ${SCRIPT}`,
        stage: 'during_purchase',
        position: 99,
      });
      const names = [];
      const answers = [];
      let level = 0;
      for (const payload of Object.values(PAYLOADS)) {
        level += 1;
        const name = `TP ${payload}`;
        const touchpoint = await postAsPage(page, '/api/v1/touchpoints', {
          name,
          description: payload,
          channel: 'xss-kanal',
          phase: 'xss-phase',
          owner: `Team ${LINK}`,
          target_groups: [`Gruppe ${SCRIPT}`],
          regions: [`Region ${TEMPLATE}`],
          notes: payload,
          importance: { experience: 1 + (level % 5), loyalty: 1 + (level % 5), referral: 1 + ((level * 2) % 5) },
        });
        names.push({ id: touchpoint.id, name, payload });
        answers.push({ touchpoint_id: touchpoint.id, metric: 'nps', score: (level * 3) % 11, comment: payload });
      }
      await postAsPage(page, '/api/v1/responses', { responses: answers });

      // The dashboard, broken down by channel: heat map, breakdown table, matrix table.
      await visit(page, seen, '/dashboard?metric=nps&by=channel');
      await showsText(page, 'table.heat-map th.channel', `Kanal ${IMG}`, 'heat map channel');
      await showsText(page, 'table.heat-map th.phase', META_SHORT, 'heat map phase');
      for (const { name } of names) {
        await showsText(page, 'table.heat-map a.card', name, 'heat map card');
        await showsText(page, 'table.matrix tbody th a', name, 'matrix table');
      }

      // The matrix tooltips: every point, hovered with the mouse.
      const matrixTips = await hoverPoints(page, 'matrix-chart', 0);
      assert.deepEqual(matrixTips.map((t) => t.name).sort(), names.map((n) => n.name).sort());
      // Points may hide each other behind their labels, but most are reached with the mouse.
      assert.ok(matrixTips.filter((t) => t.by === 'mouse').length >= names.length / 2, JSON.stringify(matrixTips.map((t) => t.by)));
      for (const tip of matrixTips) {
        assert.ok(tip.text.startsWith(tip.name), `matrix tooltip: ${tip.text}`);
        assert.equal(tip.elements, 0, `markup in the matrix tooltip: ${tip.html}`);
      }
      // The trend tooltip (its label is the period, the rest numbers and messages).
      const trendTips = await hoverPoints(page, 'trend-chart', 3);
      assert.ok(trendTips.every((t) => t.by === 'mouse'), 'the trend tooltip shows on hover');
      for (const tip of trendTips) {
        assert.match(tip.text, /n = \d+/);
        assert.equal(tip.elements, 0, `markup in the trend tooltip: ${tip.html}`);
      }
      await settle(page, seen, '/dashboard after hovering');

      await visit(page, seen, '/dashboard?metric=nps&by=phase');
      await visit(page, seen, '/dashboard?metric=nps&by=touchpoint');
      for (const { name } of names) await showsText(page, 'table.breakdown tbody th', name, 'breakdown by touchpoint');

      // The English labels.
      await visit(page, seen, '/dashboard?metric=nps&by=channel&lang=en');
      await showsText(page, 'table.heat-map th.channel', `Channel ${SVG}`, 'heat map channel (en)');
      await showsText(page, 'table.heat-map th.phase', `Phase ${SCRIPT}`, 'heat map phase (en)');
      await hoverPoints(page, 'matrix-chart', 0);
      await settle(page, seen, '/dashboard (en) after hovering');
      await visit(page, seen, '/journey?lang=en');
      await showsText(page, 'table.journey th.channel', `Channel ${SVG}`, 'journey channel (en)');
      await showsText(page, 'table.journey th.phase', `Phase ${SCRIPT}`, 'journey phase (en)');
      await visit(page, seen, '/journey?lang=de');

      // The journey map with its filters.
      await visit(page, seen, '/journey');
      await showsText(page, 'table.journey th.channel', `Kanal ${IMG}`, 'journey channel');
      await showsText(page, 'table.journey th.phase', META_SHORT, 'journey phase');
      for (const { name } of names) await showsText(page, 'table.journey a.card', name, 'journey card');
      const cardTitles = await page.locator('table.journey a.card').evaluateAll((els) => els.map((e) => e.title));
      assert.ok(cardTitles.some((t) => t.includes(`Team ${LINK}`)), `card titles: ${cardTitles}`);
      await showsText(page, '#group option', `Gruppe ${SCRIPT}`, 'journey group filter');
      await showsText(page, '#region option', `Region ${TEMPLATE}`, 'journey region filter');

      // The inventory, its search (the query comes back in the search field) and a touchpoint.
      await visit(page, seen, '/touchpoints');
      for (const { name } of names) await showsText(page, 'table a[href^="/touchpoints/"]', name, 'inventory');
      await showsText(page, 'table td', `Kanal ${IMG}`, 'inventory channel');
      await showsText(page, 'table td', META_SHORT, 'inventory phase');
      for (const { name, payload } of names) {
        await visit(page, seen, `/touchpoints?q=${encodeURIComponent(payload)}`);
        assert.equal(await page.locator('#q').inputValue(), payload, 'search field');
        await showsText(page, 'table a[href^="/touchpoints/"]', name, `search for ${payload}`);
      }
      for (const { id, name, payload } of names) {
        const path = `/touchpoints/${id}`;
        await visit(page, seen, path);
        assert.equal((await texts(page, '.page-head h1'))[0], name, `${path}: heading`);
        assert.ok((await page.title()).startsWith(`${name} · `), `${path}: title`);
        assert.equal((await texts(page, 'p.lead'))[0], payload, `${path}: description`);
        await showsText(page, 'p.notes', payload, `${path}: notes`);
        await showsText(page, 'dl.facts dd', `Kanal ${IMG}`, `${path}: channel`);
        await showsText(page, 'dl.facts dd', `Team ${LINK}`, `${path}: owner`);
        await visit(page, seen, `${path}/edit`);
        assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), name, `${path}/edit: name`);
      }
      await visit(page, seen, '/catalog');
      await visit(page, seen, '/admin/audit');
    });
  });

  test("survey questions and a customer's free-text answer show as text", async () => {
    const slug = await inBrowser('xss-survey-setup', async (page, seen) => {
      await page.goto('/surveys');
      const touchpoint = await postAsPage(page, '/api/v1/touchpoints', {
        name: `Umfrage ${SVG}`,
        channel: 'website',
        phase: 'after-purchase',
        importance: { experience: 4, loyalty: 4, referral: 5 },
      });
      const survey = await postAsPage(page, '/api/v1/surveys', {
        touchpoint_id: touchpoint.id,
        metric: 'nps',
        question_de: `Frage ${IMG} ${TEMPLATE}`,
        question_en: `Question ${SCRIPT}`,
        follow_up_de: `Warum? ${META} ${SVG}`,
        follow_up_en: `Why? ${LINK}`,
        active: true,
      });

      await visit(page, seen, '/surveys');
      await showsText(page, 'table.surveys td a', `Umfrage ${SVG}`, 'survey list');
      await visit(page, seen, `/surveys/${survey.id}`);
      assert.equal(await page.locator('#question_de').inputValue(), `Frage ${IMG} ${TEMPLATE}`);
      assert.equal(await page.locator('#question_en').inputValue(), `Question ${SCRIPT}`);
      assert.equal(await page.locator('#follow_up_de').inputValue(), `Warum? ${META} ${SVG}`);
      assert.equal(await page.locator('#follow_up_en').inputValue(), `Why? ${LINK}`);
      await showsText(page, '#touchpoint_id option', `Umfrage ${SVG}`, 'survey form touchpoint');
      await visit(page, seen, `/surveys/${survey.id}/link`);
      await showsText(page, 'main a, a', `Umfrage ${SVG}`, 'personal link page');
      return survey.slug;
    });

    await inBrowser(
      'xss-survey-public',
      async (page, seen) => {
        for (const [lang, question, followUp] of [
          ['de', `Frage ${IMG} ${TEMPLATE}`, `Warum? ${META} ${SVG}`],
          ['en', `Question ${SCRIPT}`, `Why? ${LINK}`],
        ]) {
          const path = `/s/${slug}?lang=${lang}`;
          await visit(page, seen, path);
          assert.equal((await texts(page, 'legend h1'))[0], question, `${path}: question`);
          assert.equal(await page.title(), question, `${path}: title`);
          await showsText(page, 'label[for="comment"]', followUp, `${path}: follow-up`);
        }

        // The free-text answer comes back in its field when the score is missing.
        const comment = Object.values(PAYLOADS).join('\n');
        await visit(page, seen, `/s/${slug}?lang=de`);
        await page.locator('#comment').fill(comment);
        await page.getByRole('button', { name: 'Absenden', exact: true }).click();
        await page.locator('#score-error').waitFor();
        await settle(page, seen, 'survey refused without a score');
        assert.equal(await page.locator('#comment').inputValue(), comment, 'the answer is kept as typed');
        await page.locator('.score-option').nth(9).click();
        await page.getByRole('button', { name: 'Absenden', exact: true }).click();
        await page.getByRole('heading', { name: 'Vielen Dank!' }).waitFor();
        await settle(page, seen, 'survey sent');
      },
      { login: false },
    );

    // The answer is counted; its text is shown on no staff page.
    await inBrowser('xss-survey-dashboard', async (page, seen) => {
      await visit(page, seen, '/dashboard?metric=nps&by=touchpoint');
      await showsText(page, 'table.breakdown tbody th', `Umfrage ${SVG}`, 'dashboard after the answer');
      await hoverPoints(page, 'matrix-chart', 0);
      await settle(page, seen, '/dashboard after hovering');
    });
  });
});
