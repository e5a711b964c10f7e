// Opens a descriptor with mistakes: it opens all the same, each mistake is shown at its
// question (or at the top when no question is about it), and there is no verdict until
// they are corrected. Then a descriptor of hostile text: it shows as text and runs nothing.
//
// node mistakes.mjs URL OUT
import { base, check, go, openPage, question, scenario, screenshots } from "./lib.mjs";

/** The text a person reads for a message: the page shows `value` as code, without ticks. */
const shown = (message) => message.replaceAll("`", "");

await scenario("a descriptor with mistakes", async (browser, problems) => {
  const page = await openPage(browser, problems);
  await go(page, "#/");
  const row = page.locator("tr", { hasText: "with-mistakes.yaml" });
  check((await row.textContent()).includes("mistakes"), "the workspace says the file has mistakes");
  await row.getByRole("link").click();
  await page.locator(".error-summary").waitFor();

  const view = await (await page.request.get(base + "api/system?file=with-mistakes.yaml")).json();
  check(view.assessment === null, "the server gives no assessment for a file with mistakes");
  check(view.mistakes.length >= 5, `the server lists the mistakes (${view.mistakes.length})`);
  check((await page.locator(".live-panel").textContent()).includes("Verdict: not yet"), "the page shows no verdict yet");

  const summary = await page.locator(".error-summary").textContent();
  for (const mistake of view.mistakes) {
    check(summary.includes(shown(mistake.message)), `the summary at the top lists: ${mistake.message}`);
    const segments = String(mistake.path).replace(/^\//, "").split(/[./]/).filter(Boolean);
    let at = null;
    while (segments.length && !at) {
      const candidate = question(page, segments.join("."));
      if (await candidate.count()) at = candidate;
      segments.pop();
    }
    if (at) {
      const text = await at.locator(".field-error").textContent();
      check(text.includes(shown(mistake.message)), `shown at its question: ${mistake.message}`);
    }
  }
  for (const path of ["system.status", "oversight.can_override", "affected_people.number", "context.sectors"]) {
    check(await question(page, path).locator(".field-error").isVisible(), `the question ${path} shows its mistake`);
  }
  // The link in the summary takes the keyboard to the question.
  await page.locator(".error-summary a").first().press("Enter");
  const focused = await page.evaluate(() => document.activeElement.closest(".question")?.dataset.path);
  check(focused === "system.status", `the summary's link moves to the question (${focused})`);
  await screenshots(page, "questionnaire-mistakes");
});

await scenario("a descriptor of hostile text", async (browser, problems) => {
  const page = await openPage(browser, problems);
  await go(page, "#/system/hostile-strings.yaml");
  await page.locator("#live-verdict").waitFor();
  const view = await (await page.request.get(base + "api/system?file=hostile-strings.yaml")).json();
  const heading = await page.locator("main h1").evaluate((h) => h.firstChild.textContent);
  check(heading === view.name, `the hostile name shows as text (${heading})`);
  check((await page.locator("main img, main script, main iframe").count()) === 0, "no element is made from descriptor text");
  await go(page, "#/");
  check((await page.locator("main img, main script, main iframe").count()) === 0, "no element is made from descriptor text in the workspace");
  await screenshots(page, "workspace-hostile");
});
