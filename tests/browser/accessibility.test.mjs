// The main pages, in German and in English, on a desktop and on a phone, checked by axe-core
// against WCAG 2.1 A and AA: no page may have a violation. A German page must also show no
// message key of the catalogue and no English message of it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { VIEWS, axeViolations, launchBrowser, logIn, startServer, withPage } from './support.mjs';

/** The messages of a catalogue written on one line, by key. */
function catalogue(lang) {
  const text = readFileSync(new URL(`../../crates/server/locales/${lang}.ftl`, import.meta.url), 'utf8');
  const messages = new Map();
  for (const line of text.split('\n')) {
    const m = /^([a-z][a-z0-9_-]*) = (.+)$/.exec(line);
    if (m) messages.set(m[1], m[2]);
  }
  return messages;
}

const GERMAN = catalogue('de');
/** English messages a German page must not show: whole sentences of plain text (no
 * placeables), which no German message says too. */
const ENGLISH = [...catalogue('en')]
  .filter(([key, text]) => !text.includes('{') && text.split(' ').length >= 4 && GERMAN.get(key) !== text)
  .map(([, text]) => text)
  .filter((text) => ![...GERMAN.values()].some((german) => german.includes(text)));
/** Keys that would show if a message were missing: two hyphens at least, as few words have. */
const KEYS = [...GERMAN.keys()].filter((key) => key.split('-').length >= 3);

/** What of the catalogue's keys and English messages the page's text shows. */
async function foreignWords(page) {
  const text = await page.locator('body').innerText();
  const words = new Set(text.split(/[^a-z0-9_-]+/i));
  return [
    ...KEYS.filter((key) => words.has(key)).map((key) => `key ${key}`),
    ...ENGLISH.filter((message) => text.includes(message)).map((message) => `English "${message}"`),
  ];
}

/** The first link on the page whose address matches `pattern`. */
async function firstLink(page, pattern) {
  const hrefs = await page.$$eval('a[href]', (links) => links.map((a) => a.getAttribute('href')));
  const href = hrefs.find((h) => pattern.test(h));
  assert.ok(href, `a link like ${pattern} on ${page.url()}`);
  return href;
}

describe('accessibility', () => {
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

  for (const [locale, device, options] of VIEWS) {
    test(`the main pages have no WCAG 2.1 AA violation (${locale}, ${device})`, async () => {
      const context = await browser.newContext({ locale, baseURL: server.url, ...options });
      try {
        await withPage(context, `axe-${locale}-${device}`, async (page) => {
          const problems = [];
          const check = async (path) => {
            const response = await page.goto(path);
            assert.equal(response.status(), 200, path);
            for (const v of await axeViolations(page)) problems.push(`${path}: ${v}`);
            // The API's document is for developers, in English on every page.
            if (locale.startsWith('de') && path !== '/api/docs') {
              for (const w of await foreignWords(page)) problems.push(`${path}: ${w}`);
            }
          };

          await check('/login');
          await logIn(page, server.admin);
          await page.goto('/surveys');
          const survey = await firstLink(page, /^\/surveys\/\d+$/);
          const publicLink = await page.locator('input.copy-url').first().inputValue();
          await page.goto('/touchpoints');
          const touchpoint = await firstLink(page, /^\/touchpoints\/\d+$/);
          await page.goto('/queue');
          const request = await firstLink(page, /^\/requests\/\d+$/);
          const customer = await firstLink(page, /^\/customers\/\d+$/);
          await page.goto('/actions');
          const action = await firstLink(page, /^\/actions\/\d+$/);
          await page.goto('/campaigns');
          const campaign = await firstLink(page, /^\/campaigns\/\d+$/);
          await page.goto('/segments');
          const segment = await firstLink(page, /^\/segments\/\d+$/);

          for (const path of [
            '/queue',
            request,
            customer,
            '/journey',
            '/dashboard',
            '/touchpoints',
            touchpoint,
            '/surveys',
            survey,
            `${survey}/answers`,
            '/actions',
            action,
            '/programme',
            '/consistency',
            '/standards',
            '/catalog',
            // The forms and the pages of managers and admins.
            '/touchpoints/new',
            '/surveys/new',
            '/actions/new',
            '/actions/settings',
            '/actions/review',
            '/actions/budget',
            '/queue/stats',
            '/queue/rules',
            '/queue/templates',
            '/queue/templates/new',
            '/queue/chat',
            '/campaigns',
            campaign,
            '/segments',
            segment,
            '/segments/new',
            '/guideline',
            '/content',
            '/content/new',
            '/stories',
            '/digest',
            '/admin/users',
            '/admin/mail',
            '/admin/organisation',
            '/admin/tokens',
            '/admin/audit',
            '/api/docs',
          ]) {
            await check(path);
          }
          await check(new URL(publicLink, server.url).pathname);
          assert.deepEqual(problems, [], problems.join('\n'));
        });
      } finally {
        await context.close();
      }
    });
  }
});
