// What every browser scenario shares: headless Chromium, checks that count, screenshots.
// Each scenario is run by tests/serve_browser.rs as `node SCENARIO.mjs URL [OUT]`, where
// URL is the base the server printed (`http://127.0.0.1:PORT/TOKEN/`); it prints one line
// per check and exits 1 at the first failed one.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const base = process.argv[2];
if (!base || !/^http:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{32}\/$/.test(base)) {
  console.error(`usage: node SCENARIO.mjs http://127.0.0.1:PORT/TOKEN/ [OUT], got ${base}`);
  process.exit(2);
}
export const out = process.argv[3] || ".";

let passed = 0;

/** Fails the scenario, saying what was expected, unless `condition` holds. */
export function check(condition, what) {
  if (!condition) throw new Error(`check failed: ${what}`);
  passed += 1;
  console.log(`ok ${passed}: ${what}`);
}

/** Runs the checks of `body`; prints their count and sets the exit code. */
export async function checks(name, body) {
  passed = 0;
  try {
    await body();
    console.log(`${name}: ${passed} passed, 0 failed`);
  } catch (error) {
    console.log(`${name}: ${passed} passed, 1 failed`);
    console.error(error.stack || String(error));
    process.exitCode = 1;
  }
}

/** Runs the checks of `body` with a fresh headless Chromium. */
export async function scenario(name, body) {
  const browser = await chromium.launch({
    executablePath: process.env.RIGHTSCHECK_CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu"],
  });
  try {
    await checks(name, async () => {
      const problems = [];
      await body(browser, problems);
      check(problems.length === 0, `no script error in the page${problems.length ? `: ${problems.join("; ")}` : ""}`);
    });
  } finally {
    await browser.close();
  }
}

/** A page that records script errors, refused CSP, and any dialog a hostile text could open. */
export async function openPage(browser, problems, options = {}) {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  page.on("pageerror", (error) => problems.push(`script error: ${error.message}`));
  page.on("dialog", (dialog) => {
    problems.push(`a dialog opened: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy|Refused to/i.test(message.text())) {
      problems.push(`the page broke its content security policy: ${message.text()}`);
    }
  });
  return page;
}

/** Opens a view and waits until its heading is there. */
export async function go(page, hash) {
  await page.goto(base + hash);
  await page.locator("main h1").first().waitFor();
  await page.waitForLoadState("networkidle");
}

/** Waits until no answer is being saved. */
export async function settled(page, timeout = 30_000) {
  await page.waitForFunction(() => !document.querySelector(".field-status--saving"), null, { timeout });
  await page.waitForLoadState("networkidle");
}

/** The question of a descriptor field. */
export function question(page, path) {
  return page.locator(`.question[data-path="${path}"]`);
}

/** The live verdict, as the page shows it ("Reject", "Conditional", "Acceptable"). */
export async function verdict(page) {
  return (await page.locator("#live-verdict .tag").textContent()).trim();
}

/** Opens the section holding a question when it is collapsed (not asked for this system). */
export async function reveal(page, path) {
  const q = question(page, path);
  const body = q.locator("xpath=ancestor::*[starts-with(@id, 'section-body-')]");
  if ((await body.count()) && (await body.isHidden())) {
    const id = await body.getAttribute("id");
    await page.locator(`button[aria-controls="${id}"]`).click();
  }
  return q;
}

/** Saves a PNG of the page at desktop width and at 320 px into OUT. */
export async function screenshots(page, name) {
  mkdirSync(out, { recursive: true });
  for (const [label, width] of [["desktop", 1280], ["320px", 320]]) {
    await page.setViewportSize({ width, height: 900 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(100);
    await page.screenshot({ path: join(out, `${name}-${label}.png`), fullPage: false });
    // At 320 px nothing may stick out sideways (WCAG 1.4.10 reflow), tables and code aside.
    if (width === 320) {
      const wide = await page.evaluate(() =>
        [...document.querySelectorAll("main *")]
          .filter((node) => node.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
          .filter((node) => !node.closest(".table-scroll, code, pre"))
          .map((node) => `${node.tagName.toLowerCase()}.${node.className}`)
          .slice(0, 5),
      );
      check(wide.length === 0, `${name} fits 320 px without scrolling sideways${wide.length ? `: ${wide.join(", ")}` : ""}`);
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}
