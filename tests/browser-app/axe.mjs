// axe-core finds no WCAG 2.2 AA violation on the workspace, the questionnaire (answers,
// "Why is this asked?" open, a descriptor with mistakes) and the portfolio views. axe is
// injected into the page, which the content security policy would forbid: the browser
// context bypasses it for this test only.
//
// node axe.mjs URL OUT
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { check, go, openPage, scenario, screenshots } from "./lib.mjs";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

async function audit(page, what) {
  await page.addScriptTag({ content: axeSource });
  const results = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }), TAGS);
  const found = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => `${n.target.join(" ")}: ${n.failureSummary.replace(/\s+/g, " ")}`).join("\n    ")}`,
  );
  check(found.length === 0, `no WCAG 2.2 AA violation on ${what} (${results.passes.length} rules pass)${found.length ? `:\n  ${found.join("\n  ")}` : ""}`);
}

await scenario("accessibility", async (browser, problems) => {
  for (const width of [1280, 320]) {
    const page = await openPage(browser, problems, { bypassCSP: true, viewport: { width, height: 900 } });
    const at = `${width} px`;
    await go(page, "#/");
    await audit(page, `the workspace at ${at}`);
    await go(page, "#/system/well-governed.yaml");
    await page.locator("#live-verdict").waitFor();
    await audit(page, `a questionnaire at ${at}`);
    await page.evaluate(() => {
      for (const details of document.querySelectorAll("details.why")) details.open = true;
      for (const toggle of document.querySelectorAll("button[aria-expanded=false]")) toggle.click();
    });
    await audit(page, `a questionnaire with every question and its reasons open at ${at}`);
    if (width === 1280) await screenshots(page, "questionnaire-open");
    await go(page, "#/system/with-mistakes.yaml");
    await page.locator(".error-summary").waitFor();
    await audit(page, `a questionnaire with mistakes at ${at}`);
    await go(page, "#/portfolio");
    await audit(page, `the portfolio at ${at}`);
    if (width === 1280) await screenshots(page, "portfolio");
    await page.context().close();
  }
});
