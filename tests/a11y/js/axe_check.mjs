// axe-core in a real browser (Debian's Chromium, driven by playwright-core), one process per batch.
//
// stdin:  {"chromium": "/usr/bin/chromium", "tags": [...],
//          "cards": [{"id", "card"}], "hostConfig": {...}, "lang": "sv", "screenshots": {id: path},
//          "pages": [{"id", "html"} | {"id", "url"}]}
// stdout: {"browser", "axe", "results": [{"id", "violations": [{rule, impact, help, nodes}]}]}
//
// Cards are drawn by the Adaptive Cards SDK's own HTML renderer with the given host config in a
// Teams-like page in the given language, one card at a time in one reused tab; pages are loaded
// as they are (a string, or a URL the caller vouches is on 127.0.0.1).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const SDK = require.resolve("adaptivecards/dist/adaptivecards.min.js");
const SDK_CSS = require.resolve("adaptivecards/dist/adaptivecards.css");
const AXE = require.resolve("axe-core/axe.min.js");
const AXE_VERSION = require("axe-core/package.json").version;
const LOCAL_HOSTS = ["127.0.0.1", "localhost", "[::1]"];

// The host around a card: a chat message column, as Teams shows a card, and its buttons.
const HOST_CSS = `
  body { margin: 0; background: #F5F5F5; font-family: 'Segoe UI', system-ui, sans-serif; }
  main { padding: 16px; }
  .message { max-width: 560px; background: #FFFFFF; border: 1px solid #E0E0E0; border-radius: 4px; }
  .ac-pushButton { color: #242424; background: #FFFFFF; border: 1px solid #D1D1D1; border-radius: 4px;
    font-weight: 600; min-height: 32px; }
  .ac-pushButton.style-positive { color: #FFFFFF; background: #4F52B2; border-color: #4F52B2; }
  .ac-pushButton.style-destructive { color: #FFFFFF; background: #C4314B; border-color: #C4314B; }
  .ac-input { font-family: inherit; font-size: 14px; color: #242424; border: 1px solid #8A8A8A; }
`;

function hostPage(lang, title) {
  return `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><title>${title}</title>
<style>${readFileSync(SDK_CSS, "utf8")}</style><style>${HOST_CSS}</style></head>
<body><main><article class="message" id="card"></article></main></body>
</html>`;
}

async function runAxe(page, tags) {
  if (!(await page.evaluate(() => typeof window.axe !== "undefined"))) {
    await page.addScriptTag({ path: AXE });
  }
  return page.evaluate(async (values) => {
    const result = await window.axe.run(document, {
      runOnly: { type: "tag", values },
      resultTypes: ["violations"],
    });
    return result.violations.map((v) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(" "), html: n.html.slice(0, 300) })),
    }));
  }, tags);
}

async function checkCards(context, input) {
  const page = await context.newPage();
  await page.setContent(hostPage(input.lang, input.title));
  await page.addScriptTag({ path: SDK });
  const results = [];
  for (const { id, card } of input.cards) {
    const drawn = await page.evaluate(
      ({ card, hostConfig }) => {
        const host = document.getElementById("card");
        host.replaceChildren();
        const adaptiveCard = new window.AdaptiveCards.AdaptiveCard();
        adaptiveCard.hostConfig = new window.AdaptiveCards.HostConfig(hostConfig);
        adaptiveCard.parse(card);
        const element = adaptiveCard.render();
        if (!element) {
          return false;
        }
        host.appendChild(element);
        return true;
      },
      { card, hostConfig: input.hostConfig }
    );
    const violations = drawn ? await runAxe(page, input.tags) : [];
    results.push({ id, drawn, violations });
    const shot = (input.screenshots || {})[id];
    if (shot) {
      await page.locator("#card").screenshot({ path: shot });
    }
  }
  await page.close();
  return results;
}

async function checkPages(context, input) {
  const results = [];
  for (const { id, html, url } of input.pages) {
    const page = await context.newPage();
    if (url) {
      await page.goto(url, { waitUntil: "load" });
    } else {
      await page.setContent(html, { waitUntil: "load" });
    }
    results.push({ id, drawn: true, violations: await runAxe(page, input.tags) });
    await page.close();
  }
  return results;
}

const input = JSON.parse(readFileSync(0, "utf8"));
const browser = await chromium.launch({
  executablePath: input.chromium,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
try {
  // bypassCSP: a served page's Content-Security-Policy must not keep axe itself out.
  const context = await browser.newContext({ bypassCSP: true, locale: input.lang || "sv-SE" });
  // Nothing leaves this machine: a page's links to the internet are refused, not fetched.
  await context.route("**/*", (route) => {
    const host = new URL(route.request().url()).hostname;
    return LOCAL_HOSTS.includes(host) ? route.continue() : route.abort();
  });
  const results = [
    ...(input.cards ? await checkCards(context, input) : []),
    ...(input.pages ? await checkPages(context, input) : []),
  ];
  process.stdout.write(
    JSON.stringify({ browser: browser.version(), axe: AXE_VERSION, results })
  );
} finally {
  await browser.close();
}
