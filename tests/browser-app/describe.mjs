// Describes a system from scratch, as a person would: a new file from the workspace page,
// answers of every kind (yes/no, "I don't know", choices, text, number, date, list), one
// document of evidence; the verdict changes as answers are given, every answer is there
// after a reload, and the reports are downloaded (tests/serve_browser.rs compares them
// with the command line's). Last, a file changed on disk is reported, never overwritten.
//
// node describe.mjs URL OUT WORKSPACE DOWNLOADS
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { check, go, openPage, question, reveal, scenario, screenshots, settled, verdict } from "./lib.mjs";

const [workspace, downloads] = process.argv.slice(4);
const FILE = "ward-staffing-forecast.yaml";

async function saved(page, path) {
  await settled(page);
  const status = (await question(page, path).locator(".field-status").textContent()).trim();
  check(status === "\u2713 Saved", `the answer to ${path} is saved (${status})`);
}

await scenario("describe a system", async (browser, problems) => {
  const page = await openPage(browser, problems);
  await go(page, "#/");
  await screenshots(page, "workspace");

  await page.getByLabel("Name of the system").fill("Ward staffing forecast");
  check((await page.getByLabel("File name").inputValue()) === FILE, "the file name follows the system's name");
  await page.getByRole("button", { name: "Start describing" }).click();
  await page.waitForFunction((file) => location.hash === `#/system/${file}`, FILE);
  await page.locator("#live-verdict").waitFor();
  check((await page.locator("main h1").textContent()).startsWith("Ward staffing forecast"), "the new system opens at its questions");
  const first = await verdict(page);
  check(first === "Conditional", `a new system with no answers is Conditional (${first})`);
  const progress = await page.locator("#progress-text").textContent();
  check(/^\d+ of \d+ questions that matter for this system answered$/.test(progress), `progress is shown (${progress})`);
  await screenshots(page, "questionnaire-new");

  // Text.
  const description = await reveal(page, "system.description");
  await description.locator("textarea").fill("Forecasts how many nurses each ward needs next week.");
  await description.locator("textarea").press("Tab");
  await saved(page, "system.description");

  // Yes / no, and "I don't know".
  await (await reveal(page, "oversight.can_override")).getByLabel("Yes", { exact: true }).check();
  await saved(page, "oversight.can_override");
  // A question not answered yet is "I don't know" already: say yes, then take it back.
  const competence = await reveal(page, "oversight.competence_and_authority");
  check(await competence.getByLabel("I don\u2019t know").isChecked(), "a question not answered yet shows I don't know");
  await competence.getByLabel("Yes", { exact: true }).check();
  await saved(page, "oversight.competence_and_authority");
  await competence.getByLabel("I don\u2019t know").check();
  await saved(page, "oversight.competence_and_authority");

  // One of a set.
  await (await reveal(page, "oversight.mode")).locator('input[value="human-in-the-loop"]').check();
  await saved(page, "oversight.mode");

  // Several of a set: watching journalists crosses a red line, and the verdict follows.
  const groups = await reveal(page, "capabilities.monitored_groups");
  await groups.locator('input[value="journalists"]').check();
  await saved(page, "capabilities.monitored_groups");
  check((await verdict(page)) === "Reject", "watching journalists makes the verdict Reject at once");
  await page.waitForFunction(() => document.getElementById("announcer").textContent.includes("Verdict: Reject"));
  check(true, "the new verdict is announced to screen readers");
  await screenshots(page, "questionnaire-reject");
  await groups.locator('input[value="journalists"]').uncheck();
  await saved(page, "capabilities.monitored_groups");
  check((await verdict(page)) === "Conditional", "taking it back makes the verdict Conditional again");

  // A number, a date, a list.
  const people = await reveal(page, "affected_people.number");
  await people.locator("input[type=number]").fill("1200");
  await people.locator("input[type=number]").press("Tab");
  await saved(page, "affected_people.number");
  const date = await reveal(page, "impact_assessment.date");
  await date.locator("input[type=date]").fill("2026-03-31");
  await date.locator("input[type=date]").press("Tab");
  await saved(page, "impact_assessment.date");
  const decisions = await reveal(page, "purpose.decisions");
  await decisions.getByRole("button", { name: "Add an item" }).click();
  await decisions.getByLabel("Item 1").fill("How many nurses work on each ward");
  await decisions.getByLabel("Item 1").press("Tab");
  await saved(page, "purpose.decisions");

  // A wrong number is refused in the page and never sent.
  await people.locator("input[type=number]").fill("-3.5");
  await people.locator("input[type=number]").press("Tab");
  const refused = (await people.locator(".field-status").textContent()).trim();
  check(refused.startsWith("\u2717 Not saved"), `a number that is not a whole number is not saved (${refused})`);
  await people.locator("input[type=number]").fill("1200");
  await people.locator("input[type=number]").press("Tab");
  await saved(page, "affected_people.number");

  // Evidence for the oversight section.
  const evidence = page.locator("#s-oversight fieldset.evidence");
  await evidence.getByLabel("Title of the document").fill("Ward staffing oversight procedure");
  await evidence.getByLabel("Reference in the procurement or audit file (optional)").fill("PROC-2026-12.pdf");
  await evidence.getByRole("button", { name: "Add this document" }).click();
  await page.waitForFunction(() => document.querySelector("#s-oversight .evidence .field-status")?.textContent.startsWith("Added"));
  check(true, "the document is added to the oversight section");

  // Every answer is there after a reload.
  await page.reload();
  await page.locator("#live-verdict").waitFor();
  check((await question(page, "system.description").locator("textarea").inputValue()) === "Forecasts how many nurses each ward needs next week.", "after a reload: the text");
  check(await question(page, "oversight.can_override").getByLabel("Yes", { exact: true }).isChecked(), "after a reload: yes");
  check(await question(page, "oversight.competence_and_authority").getByLabel("I don\u2019t know").isChecked(), "after a reload: I don't know");
  check(await question(page, "oversight.mode").locator('input[value="human-in-the-loop"]').isChecked(), "after a reload: the choice");
  check(!(await question(page, "capabilities.monitored_groups").locator('input[value="journalists"]').isChecked()), "after a reload: the choice taken back");
  check((await question(page, "affected_people.number").locator("input[type=number]").inputValue()) === "1200", "after a reload: the number");
  check((await question(page, "impact_assessment.date").locator("input[type=date]").inputValue()) === "2026-03-31", "after a reload: the date");
  check((await question(page, "purpose.decisions").getByLabel("Item 1").inputValue()) === "How many nurses work on each ward", "after a reload: the list");
  const text = readFileSync(join(workspace, FILE), "utf8");
  check(text.includes("Ward staffing oversight procedure") && text.includes("PROC-2026-12.pdf"), "after a reload: the document is in the file");
  const listed = await page.locator("#s-oversight .evidence-list").textContent();
  check(listed.includes("Ward staffing oversight procedure") && listed.includes("PROC-2026-12.pdf"), "after a reload: the page lists the document");

  // Another editor changes the file: the next answer is refused and said so, and the file
  // keeps the other editor's text.
  const changed = `${readFileSync(join(workspace, FILE), "utf8")}# changed by another editor\n`;
  writeFileSync(join(workspace, FILE), changed);
  await question(page, "oversight.can_override").getByLabel("No", { exact: true }).check();
  await page.locator(".notice--error[role=alert]").waitFor();
  const notice = await page.locator(".notice--error[role=alert]").textContent();
  check(notice.includes("This file was changed outside this page; reload to see the latest answers"), "a file changed on disk is reported");
  check(readFileSync(join(workspace, FILE), "utf8") === changed, "a file changed on disk is not overwritten");
  await question(page, "oversight.competence_and_authority").getByLabel("Yes", { exact: true }).check();
  await settled(page);
  check(readFileSync(join(workspace, FILE), "utf8") === changed, "after a conflict no answer is sent again");
  // The reports, downloaded as a person would: reports read the file as it is now.
  for (const format of ["html", "json"]) {
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator(`a[data-format="${format}"]`).click()]);
    await download.saveAs(join(downloads, `downloaded.${format}`));
    check(true, `the ${format} report is downloaded`);
  }
  const print = page.getByRole("link", { name: "Print the report" });
  const printed = await print.getAttribute("href");
  check(printed.includes("format=html") && printed.includes("disposition=inline"), "Print the report opens the HTML report in the browser");

  await screenshots(page, "questionnaire-conflict");
});
