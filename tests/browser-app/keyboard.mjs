// The whole questionnaire of a new system completed with the keyboard alone: Tab to move,
// Space to choose, Enter to add a list item, arrows in a drop-down list, typing in text
// boxes; never the mouse. Every question that matters is then answered and saved.
//
// node keyboard.mjs URL OUT
import { check, go, openPage, scenario, screenshots, settled } from "./lib.mjs";

const FILE = "keyboard-only.yaml";

/** What has the keyboard focus, and the question it belongs to. */
const focused = (page) =>
  page.evaluate(() => {
    const node = document.activeElement;
    const question = node.closest(".question");
    return {
      tag: node.tagName.toLowerCase(),
      type: node.type || "",
      id: node.id,
      text: (node.textContent || "").trim(),
      path: question ? question.dataset.path : null,
      hidden: node.closest("[hidden]") !== null,
      dontKnow: node.id.endsWith("-dont-know"),
      checked: Boolean(node.checked),
      inEvidence: node.closest(".evidence") !== null,
      isSkip: node.id === "skip-link",
    };
  });

/** The questions shown now that have no answer yet ("I don't know" is the answer then). */
const unanswered = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll(".question")]
      .filter((q) => q.offsetParent !== null)
      .filter((q) => q.dataset.answered !== "yes")
      .map((q) => q.dataset.path),
  );

/** The keys a person presses to answer the control that has the focus, or `null` to move on. */
function keys(node) {
  // Tab lands on a radio group's chosen answer, "I don't know" (the last) while there is
  // none: Down arrow goes round to the first and chooses it; Space chooses where it is.
  if (node.type === "radio") return [["press", node.checked ? "ArrowDown" : "Space"]];
  if (node.type === "checkbox" && !node.dontKnow) return [["press", "Space"]];
  if (node.tag === "select") return [["press", "ArrowDown"]];
  if (node.tag === "textarea") return [["type", "Answered with the keyboard"]];
  if (node.type === "number") return [["type", "12"]];
  // Chromium's date box: month, day and year, each typed in turn.
  if (node.type === "date") return [["type", "06302026"]];
  if (node.tag === "button" && node.text === "Add an item") return [["press", "Enter"], ["type", "Answered with the keyboard"]];
  return null;
}

/** What each question shows as its answer: the choices made, the text typed. */
const answers = (page) =>
  page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll(".question")].map((q) => [
        q.dataset.path,
        JSON.stringify(
          [...q.querySelectorAll("input, select, textarea")].map((input) =>
            input.type === "radio" || input.type === "checkbox" ? input.checked : input.value,
          ),
        ),
      ]),
    ),
  );

await scenario("keyboard only", async (browser, problems) => {
  const page = await openPage(browser, problems);
  await go(page, "#/");
  // Describe a new system: the skip link first, then the form.
  await page.keyboard.press("Tab");
  check((await focused(page)).isSkip, "the first Tab reaches the skip link");
  let steps = 0;
  while ((await focused(page)).id !== "new-name" && steps++ < 60) await page.keyboard.press("Tab");
  await page.keyboard.type("Keyboard only system");
  await page.keyboard.press("Tab");
  check((await focused(page)).id === "new-file", "Tab moves from the name to the file name");
  await page.keyboard.press("Control+A");
  await page.keyboard.type(FILE);
  await page.keyboard.press("Enter");
  await page.waitForFunction((file) => location.hash === `#/system/${file}`, FILE);
  await page.locator("#live-verdict").waitFor();
  check((await focused(page)).tag === "h1", "the questionnaire opens with the keyboard on its heading");

  // Mark each question answered in the page when its answer is saved, to know what is left.
  await page.evaluate(() => {
    new MutationObserver(() => {
      for (const status of document.querySelectorAll(".field-status--saved")) status.closest(".question").dataset.answered = "yes";
    }).observe(document.querySelector("main"), { subtree: true, attributes: true, attributeFilter: ["class"] });
  });

  const done = new Set();
  for (let pass = 1; pass <= 3; pass++) {
    await page.locator("main h1").focus();
    let last = "";
    let stuck = 0;
    for (let presses = 0; presses < 2500; presses++) {
      await page.keyboard.press("Tab");
      const node = await focused(page);
      if (node.isSkip) break; // round the page and back to the top
      // A date box takes three Tabs (month, day, year); more in one place means stuck.
      const here = `${node.id}|${node.text}`;
      stuck = here === last ? stuck + 1 : 0;
      if (stuck >= 4) throw new Error(`Tab does not move on from ${here}`);
      last = here;
      if (!node.path || node.inEvidence || done.has(node.path)) continue;
      const answer = keys(node);
      if (!answer) continue;
      for (const [how, what] of answer) await page.keyboard[how](what);
      done.add(node.path);
    }
    await settled(page, 180_000);
    if ((await unanswered(page)).length === 0) break;
  }
  await page.keyboard.press("Tab");
  await settled(page, 180_000);
  const left = await unanswered(page);
  check(left.length === 0, `every question shown is answered with the keyboard${left.length ? `; not: ${left.join(", ")}` : ""}`);
  check((await page.locator(".field-status--failed").count()) === 0, "no answer failed to save");
  const progress = (await page.locator("#progress-text").textContent()).trim();
  const [answered, matter] = progress.match(/\d+/g).map(Number);
  check(answered === matter && matter > 0, `every question that matters is answered (${progress})`);

  // The answers are in the file: after a reload the page shows every one the same.
  const given = await answers(page);
  await page.reload();
  await page.locator("#live-verdict").waitFor();
  const reloaded = await answers(page);
  const differ = Object.keys(given).filter((path) => given[path] !== reloaded[path]);
  check(
    Object.keys(given).length > 20 && differ.length === 0,
    `after a reload all ${Object.keys(given).length} answers given with the keyboard are there${differ.length ? `; not: ${differ.map((p) => `${p} ${given[p]} → ${reloaded[p]}`).join(", ")}` : ""}`,
  );
  await screenshots(page, "questionnaire-keyboard");
});
