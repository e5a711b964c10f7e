// The rightscheck workspace in the browser: the systems of the folder, the questionnaire of
// one system with its live result, and the portfolio report. One page, no framework, no
// build step. The views are chosen by the URL fragment (#/, #/system/<file>, #/portfolio).
//
// Every text that comes from a file or from the server is inserted with `textContent` (by
// `el` below), never as HTML: descriptors are untrusted.
"use strict";

// Every request goes under the session's base, `/TOKEN/`, the first segment of the path.
const BASE = (location.pathname.match(/^\/[^/]+\//) || ["/"])[0];

const VERDICTS = { reject: "Reject", conditional: "Conditional", acceptable: "Acceptable" };
const LEVELS = { I: "Level I", II: "Level II", III: "Level III", IV: "Level IV", prohibited: "Prohibited" };
const FORMATS = [
  ["html", "Web page (HTML)"],
  ["json", "Data for programs (JSON)"],
  ["markdown", "Text document (Markdown)"],
  ["csv", "Spreadsheet (CSV)"],
  ["sarif", "Code scanning (SARIF)"],
  ["junit", "Test results (JUnit XML)"],
  ["oscal", "Assessment results (OSCAL JSON)"],
];
const CHANGED_ON_DISK =
  "This file was changed outside this page; reload to see the latest answers. Your last answer was not saved.";
const CONNECTION_LOST =
  "Not saved: this page could not reach rightscheck. Check that it is still running, then give the answer again.";

// ---------------------------------------------------------------------------------------
// Small helpers

/** Creates an element: `attrs` are properties or attributes; strings among `children`
 *  become text nodes, so no text is ever parsed as HTML. */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name in node && typeof value !== "string") node[name] = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(typeof child === "string" || typeof child === "number" ? String(child) : child);
  }
  return node;
}

/** A stable, safe element id for a dotted descriptor path. */
function idFor(prefix, path) {
  return `${prefix}-${String(path).replace(/[^A-Za-z0-9_-]/g, "-")}`;
}

/** A message of the command line, where user values stand in backticks, as text with
 *  those values in `<code>`: never parsed as HTML. */
function message(text) {
  return String(text ?? "")
    .split("`")
    .map((part, index) => (index % 2 ? el("code", {}, part) : part))
    .filter((part) => part !== "");
}

/** A text as a sentence: its first letter a capital. */
function sentence(text) {
  const value = String(text ?? "");
  return value.charAt(0).toUpperCase() + value.slice(1);
}

function plural(count, one, many) {
  return `${count} ${count === 1 ? one : many}`;
}

function verdictLabel(key, label) {
  return label || VERDICTS[key] || key || "";
}

function levelLabel(key, label) {
  return label || LEVELS[key] || key || "";
}

/** A verdict shown as a tag: the word itself carries the meaning, the colour only repeats it. */
function verdictTag(key, label) {
  return el("strong", { class: `tag tag--${key || "none"}` }, verdictLabel(key, label));
}

/** Says something to screen-reader users without moving their focus. */
function announce(text) {
  const region = document.getElementById("announcer");
  region.textContent = "";
  // A fresh text node after a tick is announced even when it repeats the last one.
  window.setTimeout(() => {
    region.textContent = text;
  }, 50);
}

function reportUrl(file, format) {
  return `${BASE}api/report?file=${encodeURIComponent(file)}&format=${encodeURIComponent(format)}`;
}

// ---------------------------------------------------------------------------------------
// The server

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `the server answered ${status}`);
    this.status = status;
    this.code = body && body.error;
  }
}

async function request(path, options) {
  let response;
  try {
    response = await fetch(BASE + path, { credentials: "same-origin", cache: "no-store", ...options });
  } catch {
    throw new ApiError(0, { error: "connection", message: CONNECTION_LOST });
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

function getJson(path) {
  return request(path, { method: "GET" });
}

function postJson(path, body) {
  return request(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

// ---------------------------------------------------------------------------------------
// Views and routing

const main = () => document.getElementById("main");
let firstView = true;
// The questionnaire on screen, if any (see `Questionnaire`).
let current = null;

function route() {
  const hash = location.hash || "#/";
  if (!hash.startsWith("#/")) return;
  current = null;
  if (hash.startsWith("#/system/")) {
    showSystem(decodeURIComponent(hash.slice("#/system/".length)));
  } else if (hash === "#/portfolio") {
    showPortfolio();
  } else {
    showWorkspace();
  }
  for (const link of document.querySelectorAll(".site-nav a")) {
    const here = link.getAttribute("href") === (hash === "#/portfolio" ? "#/portfolio" : "#/");
    if (here && !hash.startsWith("#/system/")) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

/** Replaces the main content; after the first view, moves focus to the new heading so a
 *  screen-reader or keyboard user starts at the top of the new view. */
function render(title, ...children) {
  document.title = `${title} – rightscheck`;
  const box = main();
  box.replaceChildren(...children.flat().filter(Boolean));
  const heading = box.querySelector("h1");
  if (!firstView && heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }
  firstView = false;
}

function renderError(title, error) {
  render(
    title,
    el("h1", { class: "heading-l" }, title),
    el("div", { class: "notice notice--error", role: "alert" }, el("p", {}, error.message)),
    el("p", {}, el("a", { href: "#/" }, "Back to the systems in this folder")),
  );
}

/** What the server gives for `path`, or `null` after showing `failure` and why. */
async function load(path, failure) {
  try {
    return await getJson(path);
  } catch (error) {
    renderError(failure, error);
    return null;
  }
}

// ---------------------------------------------------------------------------------------
// Workspace: the systems in the folder

async function showWorkspace() {
  const workspace = await load("api/workspace", "The systems could not be read");
  if (!workspace) return;
  const systems = workspace.systems || [];
  const unreadable = workspace.unreadable || [];
  render(
    "Systems in this folder",
    el("h1", { class: "heading-xl" }, "Systems in this folder"),
    el("p", { class: "lead" }, "Each system is described in a file of the folder ", el("code", {}, workspace.folder || ""), ". Open one to answer its questions and see its result as you go."),
    systems.length ? systemsTable(systems) : el("p", { class: "notice" }, "There is no description of a system in this folder yet. Start one below."),
    unreadable.length ? unreadableList(unreadable) : null,
    newSystemForm(),
    el(
      "section",
      { "aria-labelledby": "portfolio-heading" },
      el("h2", { class: "heading-m", id: "portfolio-heading" }, "All systems together"),
      el("p", {}, el("a", { href: `${BASE}portfolio` }, "Open the portfolio report of every system in this folder"), " (opens the report as a web page you can print or save)."),
    ),
  );
}

function systemsTable(systems) {
  const rows = systems.map((system) => {
    const mistakes = system.mistakes || 0;
    return el(
      "tr",
      {},
      el("th", { scope: "row" }, el("a", { href: `#/system/${encodeURIComponent(system.file)}` }, system.name || system.file), el("span", { class: "hint block" }, system.file)),
      el("td", { "data-label": "Verdict" }, system.verdict ? verdictTag(system.verdict, system.verdict_label) : el("span", {}, "Not yet: the file has mistakes")),
      el("td", { "data-label": "Level" }, system.level ? levelLabel(system.level, system.level_label) : "–"),
      el("td", { class: "numeric", "data-label": "Gaps" }, system.gaps ?? "–"),
      el("td", { class: "numeric", "data-label": "Open questions" }, system.questions ?? "–"),
      el("td", { class: "numeric", "data-label": "Mistakes in the file" }, mistakes ? el("strong", { class: "text-error" }, plural(mistakes, "mistake", "mistakes")) : "None"),
    );
  });
  return el(
    "div",
    { class: "table-scroll", role: "region", "aria-labelledby": "systems-caption", tabindex: "0" },
    el(
      "table",
      { class: "table" },
      el("caption", { id: "systems-caption", class: "heading-m" }, plural(systems.length, "system", "systems")),
      el(
        "thead",
        {},
        el("tr", {}, ...["System", "Verdict", "Level", "Gaps", "Open questions", "Mistakes in the file"].map((h, i) => el("th", { scope: "col", class: i >= 3 ? "numeric" : null }, h))),
      ),
      el("tbody", {}, rows),
    ),
  );
}

function unreadableList(unreadable) {
  return el(
    "section",
    { "aria-labelledby": "unreadable-heading", class: "notice notice--warning" },
    el("h2", { class: "heading-m", id: "unreadable-heading" }, "Files that could not be read"),
    el("ul", { class: "list" }, unreadable.map((item) => el("li", {}, el("code", {}, item.file), ": ", item.message))),
  );
}

/** A file name from a system's name: `Benefit fraud score` → `benefit-fraud-score.yaml`. */
function fileNameFor(name) {
  const stem = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return stem ? `${stem}.yaml` : "";
}

function newSystemForm() {
  const nameInput = el("input", { id: "new-name", name: "name", type: "text", class: "input", autocomplete: "off", "aria-describedby": "new-name-hint" });
  const fileInput = el("input", { id: "new-file", name: "file", type: "text", class: "input", autocomplete: "off", spellcheck: "false", "aria-describedby": "new-file-hint" });
  const errorBox = el("div", { id: "new-error", class: "field-error", hidden: true });
  let fileEdited = false;
  nameInput.addEventListener("input", () => {
    if (!fileEdited) fileInput.value = fileNameFor(nameInput.value);
  });
  fileInput.addEventListener("input", () => {
    fileEdited = fileInput.value !== "";
  });
  const form = el(
    "form",
    { class: "panel-form", novalidate: true, "aria-labelledby": "new-heading" },
    el("h2", { class: "heading-m", id: "new-heading" }, "Describe a new system"),
    el("p", {}, "Give the system a name. Its description is saved as a new file in this folder; you can answer the questions in any order and come back later."),
    errorBox,
    el("div", { class: "field" }, el("label", { for: "new-name", class: "label" }, "Name of the system"), el("p", { class: "hint", id: "new-name-hint" }, "For example: Housing benefit fraud risk score"), nameInput),
    el("div", { class: "field" }, el("label", { for: "new-file", class: "label" }, "File name"), el("p", { class: "hint", id: "new-file-hint" }, "Ends with .yaml, for example housing-benefit-fraud.yaml"), fileInput),
    el("button", { type: "submit", class: "button" }, "Start describing"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = nameInput.value.trim();
    const file = fileInput.value.trim();
    const problem = !name
      ? ["new-name", "Enter the name of the system"]
      : !/^[^/\\]+\.(ya?ml|json)$/i.test(file) || file.startsWith(".")
        ? ["new-file", "Enter a file name that ends with .yaml, without folders, for example my-system.yaml"]
        : null;
    for (const input of [nameInput, fileInput]) input.removeAttribute("aria-invalid");
    if (problem) {
      showFieldError(errorBox, problem[1], document.getElementById(problem[0]));
      return;
    }
    errorBox.hidden = true;
    try {
      const view = await postJson("api/new", { file, name });
      location.hash = `#/system/${encodeURIComponent(view.file || file)}`;
    } catch (error) {
      const message = error.status === 409 ? `A file named ${file} already exists in this folder: choose another file name` : error.message;
      showFieldError(errorBox, message, error.status === 409 ? fileInput : null);
    }
  });
  return form;
}

function showFieldError(box, message, input) {
  box.replaceChildren(el("p", { role: "alert" }, el("span", { class: "visually-hidden" }, "Error: "), message));
  box.hidden = false;
  if (input) {
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", `${input.getAttribute("aria-describedby") || ""} ${box.id}`.trim());
    input.focus();
  }
}

// ---------------------------------------------------------------------------------------
// Portfolio

async function showPortfolio() {
  const workspace = await load("api/workspace", "The portfolio could not be read");
  if (!workspace) return;
  const systems = workspace.systems || [];
  const counts = new Map();
  for (const system of systems) {
    const key = system.verdict || "mistakes";
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  const labels = { ...VERDICTS, mistakes: "Not assessed: the file has mistakes" };
  render(
    "Portfolio",
    el("h1", { class: "heading-xl" }, "Portfolio"),
    el("p", { class: "lead" }, "All the systems of this folder in one report: their verdicts, levels and the gaps they share."),
    el(
      "dl",
      { class: "summary-list" },
      ["reject", "conditional", "acceptable", "mistakes"]
        .filter((key) => counts.has(key))
        .map((key) => el("div", { class: "summary-list__row" }, el("dt", {}, labels[key]), el("dd", {}, plural(counts.get(key), "system", "systems")))),
    ),
    el("p", {}, el("a", { class: "button", href: `${BASE}portfolio` }, "Open the portfolio report")),
    el("p", { class: "hint" }, "The report opens as a web page. Use your browser's Print command to print it or save it as PDF."),
  );
}

// ---------------------------------------------------------------------------------------
// Questionnaire of one system

async function showSystem(file) {
  render("Loading", el("p", {}, "Loading the questions…"));
  const view = await load(`api/system?file=${encodeURIComponent(file)}`, "This system could not be opened");
  if (!view) return;
  current = new Questionnaire(view);
  render(view.name || view.file, current.build());
  current.update(view);
}

/** The questionnaire of one system. Built once; each SystemView the server returns then
 *  updates it in place, so focus and what is being typed elsewhere are never lost. */
class Questionnaire {
  constructor(view) {
    this.file = view.file;
    this.version = view.version;
    this.questions = new Map(); // path → QuestionField
    this.sections = new Map(); // key → { box, reason, body, toggle }
    this.queue = Promise.resolve();
    this.conflict = false;
    this.lastVerdict = view.assessment ? view.assessment.verdict : null;
    this.initial = view;
  }

  build() {
    const view = this.initial;
    const q = view.questionnaire || { triage: [], sections: [], progress: { answered: 0, matter: 0 } };
    this.conflictBox = el("div", { class: "notice notice--error", role: "alert", hidden: true });
    this.mistakeBox = el("div", { class: "error-summary", hidden: true, tabindex: "-1" });
    this.panel = el("div", { class: "live-panel__body" });
    this.whatIfBox = el("div");
    this.progress = el("p", { class: "progress-text", id: "progress-text" });
    this.progressBar = el("progress", { class: "progress-bar", max: "1", value: "0", "aria-labelledby": "progress-text" });

    const missing = view.questionnaire
      ? null
      : el("div", { class: "notice notice--warning" }, el("p", {}, "The questions of this file could not be prepared. Its result is shown; correct the mistakes listed above, or open the file in a text editor."));
    const triage = el(
      "section",
      { class: "form-section", "aria-labelledby": "triage-heading" },
      el("h2", { class: "heading-l", id: "triage-heading" }, "First, about the system"),
      el("p", {}, "These answers decide which of the sections below apply to this system, and its impact level."),
      q.triage.map((question) => this.field(question).box),
    );
    const sections = q.sections.map((section) => this.section(section));

    return [
      el("p", { class: "back" }, el("a", { href: "#/" }, "All systems in this folder")),
      el("h1", { class: "heading-xl" }, view.name || view.file, el("span", { class: "caption" }, `File: ${view.file}`)),
      this.conflictBox,
      this.mistakeBox,
      el(
        "div",
        { class: "layout" },
        el(
          "aside",
          { class: "live-panel", "aria-labelledby": "live-heading" },
          el("h2", { class: "heading-m", id: "live-heading" }, "Result so far"),
          this.panel,
          this.progress,
          this.progressBar,
          this.whatIfBox,
        ),
        el(
          "div",
          { class: "layout__questions" },
          el("p", {}, "Each answer is saved in the file as soon as you give it. If you do not know an answer, choose \u201cI don\u2019t know\u201d: it becomes a question for the supplier."),
          missing,
          triage,
          sections,
          this.downloads(),
        ),
      ),
    ];
  }

  section(section) {
    const headingId = idFor("section", section.key);
    const bodyId = idFor("section-body", section.key);
    const reason = el("p", { class: "section-reason" });
    const body = el("div", { id: bodyId }, section.questions.map((question) => this.field(question).box));
    const toggle = el("button", { type: "button", class: "button button--secondary", "aria-expanded": "false", "aria-controls": bodyId });
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-expanded") !== "true";
      this.setSectionOpen(entry, open);
    });
    const evidence = this.evidenceForm(section);
    const box = el(
      "section",
      { class: "form-section", id: idFor("s", section.key), "aria-labelledby": headingId },
      el("h2", { class: "heading-l", id: headingId }, section.title),
      section.description && section.description.toLowerCase() !== section.title.toLowerCase() ? el("p", {}, section.description) : null,
      reason,
      toggle,
      body,
      evidence,
    );
    const entry = { box, reason, body, toggle, evidence, shown: null, title: section.title };
    this.sections.set(section.key, entry);
    return box;
  }

  setSectionOpen(entry, open) {
    entry.toggle.setAttribute("aria-expanded", String(open));
    entry.toggle.textContent = open ? `Hide the questions of \u201c${entry.title}\u201d` : `Answer the questions of \u201c${entry.title}\u201d anyway`;
    entry.body.hidden = !open;
    if (entry.evidence) entry.evidence.hidden = !open;
  }

  field(question) {
    const field = new QuestionField(question, this);
    this.questions.set(question.path, field);
    return field;
  }

  /** Shows a SystemView: the live panel, progress, sections, answers and mistakes. */
  update(view) {
    this.version = view.version;
    const q = view.questionnaire;
    if (q) {
      for (const question of [...q.triage, ...q.sections.flatMap((s) => s.questions)]) {
        const field = this.questions.get(question.path);
        if (field) field.update(question);
      }
      for (const section of q.sections) {
        const entry = this.sections.get(section.key);
        if (!entry) continue;
        entry.reason.textContent = sentence(section.reason);
        entry.reason.classList.toggle("section-reason--hidden", !section.shown);
        entry.toggle.hidden = section.shown;
        // A section that stops being asked stays open if the person opened it.
        if (entry.shown !== section.shown) {
          if (section.shown) this.setSectionOpen(entry, true);
          else if (entry.shown === null) this.setSectionOpen(entry, false);
          entry.shown = section.shown;
        }
      }
      const progress = q.progress || { answered: 0, matter: 0 };
      this.progress.textContent = `${progress.answered} of ${progress.matter} questions that matter for this system answered`;
      this.progressBar.max = Math.max(progress.matter, 1);
      this.progressBar.value = progress.answered;
    }
    this.showPanel(view);
    this.showMistakes(view.mistakes || []);
  }

  showPanel(view) {
    const a = view.assessment;
    if (!a) {
      this.panel.replaceChildren(
        el("p", { class: "verdict-line" }, "Verdict: ", el("strong", {}, "not yet")),
        el("p", {}, "The file has mistakes, listed at the top of the page and at their questions. Answer those questions again to correct them; the result appears once the file is correct."),
      );
      this.whatIfBox.replaceChildren();
      return;
    }
    const s = a.summary || {};
    this.panel.replaceChildren(
      el("p", { class: "verdict-line", id: "live-verdict" }, "Verdict: ", verdictTag(a.verdict, a.verdict_label)),
      el(
        "dl",
        { class: "summary-list summary-list--compact" },
        row("Impact level", levelLabel(a.level, a.level_label)),
        row("Highest possible level", levelLabel(a.highest_possible_level)),
        row("Gaps", String(s.gaps ?? 0)),
        row("Open questions", String(s.questions ?? 0)),
        row("Met", String(s.met ?? 0)),
      ),
    );
    this.whatIfBox.replaceChildren(this.whatIf(view.what_if, a));
  }

  whatIf(whatIf, assessment) {
    const box = el("section", { class: "what-if", "aria-labelledby": "what-if-heading" });
    const target = whatIf && whatIf.target;
    const targetLevel = whatIf && whatIf.target_level;
    const heading = target
      ? target === "acceptable"
        ? "What would make this acceptable"
        : `What would lift the verdict to ${verdictLabel(target)}`
      : targetLevel
        ? `What would lower the level to ${levelLabel(targetLevel)}`
        : assessment.verdict === "acceptable"
          ? "What would make this acceptable"
          : "What would change the verdict";
    box.append(el("h3", { class: "heading-s", id: "what-if-heading" }, heading));
    if (!target && !targetLevel && assessment.verdict === "acceptable") {
      box.append(el("p", {}, "Nothing: the verdict is already Acceptable."));
      return box;
    }
    const changes = (whatIf && whatIf.changes) || [];
    if (!changes.length) {
      box.append(el("p", {}, whatIf && whatIf.reason ? message(sentence(whatIf.reason)) : "No change of answers alone would do it. Read the gaps in the report for what the system itself must change."));
      return box;
    }
    if (target && targetLevel) box.append(el("p", {}, `These changes also bring the level to ${levelLabel(targetLevel)}.`));
    box.append(
      el(
        "ol",
        { class: "list list--number" },
        changes.map((change) => {
          const field = this.questions.get(change.path);
          return el(
            "li",
            {},
            el("span", {}, change.label),
            el("span", { class: "hint block" }, `Effort: ${String(change.effort || "").replace(/-/g, " ")}`),
            field ? el("button", { type: "button", class: "link-button", onclick: () => field.focus() }, "Go to this question") : null,
          );
        }),
      ),
    );
    return box;
  }

  showMistakes(mistakes) {
    for (const field of this.questions.values()) field.setMistakes([]);
    if (!mistakes.length) {
      this.mistakeBox.hidden = true;
      this.mistakeBox.replaceChildren();
      return;
    }
    const byField = new Map();
    const items = mistakes.map((mistake) => {
      const field = this.fieldForPath(mistake.path);
      if (field) byField.set(field, [...(byField.get(field) || []), mistake]);
      const where = mistake.line ? ` (line ${mistake.line})` : "";
      return el(
        "li",
        {},
        field
          ? [el("a", { href: `#/system/${encodeURIComponent(this.file)}`, onclick: (event) => { event.preventDefault(); field.focus(); } }, field.prompt), el("span", { class: "block" }, message(mistake.message))]
          : el("span", {}, message(mistake.message), where),
        mistake.help ? el("span", { class: "hint block" }, "How to correct it: ", message(mistake.help)) : null,
      );
    });
    for (const [field, list] of byField) field.setMistakes(list);
    this.mistakeBox.replaceChildren(
      el("h2", { class: "heading-m", id: "mistakes-heading" }, `There ${mistakes.length === 1 ? "is a mistake" : `are ${mistakes.length} mistakes`} in this file`),
      el("p", {}, "Until they are corrected there is no verdict. Each one is also shown at its question."),
      el("ul", { class: "list" }, items),
    );
    this.mistakeBox.setAttribute("aria-labelledby", "mistakes-heading");
    this.mistakeBox.hidden = false;
  }

  /** The question a mistake is about: its field, or the nearest field above it
   *  (`context.sectors.2` → `context.sectors`). */
  fieldForPath(path) {
    let parts = String(path || "").replace(/^\//, "").split(/[./]/).filter(Boolean);
    while (parts.length) {
      const field = this.questions.get(parts.join("."));
      if (field) return field;
      parts = parts.slice(0, -1);
    }
    return null;
  }

  /** Sends one answer, after the answers before it (each needs the version the last one
   *  returned). After a conflict nothing more is sent: the person must reload. */
  send(field, answer) {
    field.setStatus("saving");
    field.pending += 1;
    this.queue = this.queue.then(async () => {
      if (this.conflict) {
        field.pending -= 1;
        field.setStatus("failed", CHANGED_ON_DISK);
        return;
      }
      try {
        const view = await postJson("api/answer", { file: this.file, version: this.version, path: field.path, answer });
        field.pending -= 1;
        field.setStatus("saved");
        this.afterSave(view);
      } catch (error) {
        field.pending -= 1;
        this.failed(field, error);
      }
    });
    return this.queue;
  }

  afterSave(view) {
    this.update(view);
    const a = view.assessment;
    const verdict = a ? a.verdict : null;
    const result = a ? `Verdict: ${verdictLabel(a.verdict, a.verdict_label)}, ${levelLabel(a.level, a.level_label)}.` : "No verdict yet: the file still has mistakes.";
    const changed = verdict !== this.lastVerdict ? "The verdict changed. " : "";
    this.lastVerdict = verdict;
    announce(`Saved. ${changed}${result}`);
  }

  failed(field, error) {
    if (error.status === 409) {
      this.conflict = true;
      field.setStatus("failed", CHANGED_ON_DISK);
      this.conflictBox.replaceChildren(
        el("p", {}, CHANGED_ON_DISK),
        el("button", { type: "button", class: "button", onclick: () => location.reload() }, "Reload the page"),
      );
      this.conflictBox.hidden = false;
      announce(CHANGED_ON_DISK);
    } else {
      const message = error.status === 0 ? CONNECTION_LOST : `Not saved: ${error.message}`;
      field.setStatus("failed", message);
      announce(message);
    }
  }

  evidenceForm(section) {
    const path = (section.questions.find((question) => question.evidence) || {}).evidence;
    if (!path) return null;
    const id = (name) => idFor(`evidence-${name}`, section.key);
    const title = el("input", { id: id("title"), type: "text", class: "input", autocomplete: "off" });
    const link = el("input", { id: id("link"), type: "url", class: "input", autocomplete: "off", "aria-describedby": id("link-hint") });
    const documentRef = el("input", { id: id("document"), type: "text", class: "input", autocomplete: "off", "aria-describedby": id("document-hint") });
    const added = el("ul", { class: "list evidence-list", "aria-label": `Documents listed for \u201c${section.title}\u201d` });
    for (const item of (this.initial.evidence || {})[path] || []) {
      added.append(el("li", {}, String(item.title || ""), el("span", { class: "hint block" }, String(item.link || item.file || ""))));
    }
    const status = el("p", { class: "field-status", role: "status" });
    const box = el(
      "fieldset",
      { class: "evidence" },
      el("legend", { class: "legend-s" }, `Documents that back up \u201c${section.title}\u201d`),
      el("p", { class: "hint" }, "Add a document for each answer you can prove: its title, and a link to it or its reference in the procurement or audit file."),
      added,
      el("div", { class: "field" }, el("label", { class: "label", for: id("title") }, "Title of the document"), title),
      el("div", { class: "field" }, el("label", { class: "label", for: id("link") }, "Link (optional)"), el("p", { class: "hint", id: id("link-hint") }, "For a document online, for example https://example.org/impact-assessment.pdf"), link),
      el("div", { class: "field" }, el("label", { class: "label", for: id("document") }, "Reference in the procurement or audit file (optional)"), el("p", { class: "hint", id: id("document-hint") }, "For example DPIA-2024-07.pdf"), documentRef),
      el("button", { type: "button", class: "button button--secondary", onclick: () => submit() }, "Add this document"),
      status,
    );
    const submit = () => {
      const item = { title: title.value.trim(), link: link.value.trim(), document: documentRef.value.trim() };
      if (!item.title || (!item.link && !item.document)) {
        status.className = "field-status field-status--failed";
        status.textContent = "Not added: give the title and a link or a reference.";
        (item.title ? link : title).focus();
        return;
      }
      status.className = "field-status";
      status.textContent = "Adding…";
      this.queue = this.queue.then(async () => {
        if (this.conflict) {
          status.className = "field-status field-status--failed";
          status.textContent = CHANGED_ON_DISK;
          return;
        }
        try {
          const body = { file: this.file, version: this.version, path, title: item.title };
          if (item.link) body.link = item.link;
          if (item.document) body.document = item.document;
          const view = await postJson("api/evidence", body);
          added.append(el("li", {}, item.title, el("span", { class: "hint block" }, item.link || item.document)));
          for (const input of [title, link, documentRef]) input.value = "";
          status.className = "field-status field-status--saved";
          status.textContent = `Added: ${item.title}`;
          this.afterSave(view);
        } catch (error) {
          status.className = "field-status field-status--failed";
          status.textContent = error.status === 409 ? CHANGED_ON_DISK : `Not added: ${error.message}`;
          if (error.status === 409) this.failed({ setStatus() {} }, error);
        }
      });
    };
    return box;
  }

  downloads() {
    return el(
      "section",
      { class: "form-section", "aria-labelledby": "downloads-heading" },
      el("h2", { class: "heading-l", id: "downloads-heading" }, "Reports"),
      el("p", {}, "The report of this system as it is saved now, the same as the rightscheck command gives."),
      el("p", {}, el("a", { class: "button", href: `${reportUrl(this.file, "html")}&disposition=inline`, target: "_blank", rel: "noopener" }, "Print the report"), el("span", { class: "hint block" }, "The report opens as a web page in a new tab: print it, or save it as PDF, with your browser's Print command.")),
      el("h3", { class: "heading-s" }, "Download the report"),
      el("ul", { class: "list downloads" }, FORMATS.map(([format, label]) => el("li", {}, el("a", { href: reportUrl(this.file, format), download: "", "data-format": format }, label)))),
    );
  }
}

function row(term, value) {
  return el("div", { class: "summary-list__row" }, el("dt", {}, term), el("dd", {}, value));
}

// ---------------------------------------------------------------------------------------
// One question and its answer control

const DONT_KNOW = "I don\u2019t know";

class QuestionField {
  constructor(question, owner) {
    this.path = question.path;
    this.prompt = question.prompt;
    this.kind = question.kind || { type: "text" };
    this.owner = owner;
    this.id = idFor("q", question.path);
    this.dirty = false;
    // Answers of this question sent and not yet answered: until then the server's view of
    // it is older than what the person chose.
    this.pending = 0;
    this.status = el("p", { class: "field-status", id: `${this.id}-status` });
    this.mistakes = el("div", { class: "field-error", id: `${this.id}-mistakes`, hidden: true });
    this.tag = el("span", { class: "optional-tag" });
    this.notAsked = el("p", { class: "hint", hidden: true }, "The source this description was imported from does not ask this.");
    this.box = el("div", { class: "question", id: this.id, "data-path": question.path });
    this.build(question);
  }

  describedBy() {
    return [`${this.id}-hint`, `${this.id}-mistakes`, `${this.id}-status`].join(" ");
  }

  hint(question) {
    return el("div", { id: `${this.id}-hint` }, question.help ? el("p", { class: "hint" }, question.help) : null, this.notAsked);
  }

  why(question) {
    if (!question.rules || !question.rules.length) return null;
    return el(
      "details",
      { class: "why" },
      el("summary", {}, "Why is this asked?"),
      el(
        "div",
        { class: "why__body" },
        el("p", {}, question.rules.length === 1 ? "One rule reads this answer:" : `${question.rules.length} rules read this answer:`),
        el(
          "ul",
          { class: "list" },
          question.rules.map((why) =>
            el(
              "li",
              {},
              el("p", {}, el("strong", {}, why.rule), `: ${why.title}`),
              el("p", { class: "hint" }, `From ${why.document}:`),
              el("blockquote", { class: "quote" }, why.quote),
            ),
          ),
        ),
      ),
    );
  }

  build(question) {
    const type = this.kind.type;
    const groupControls = type === "yes-no" || type === "choices" || (type === "choice" && (this.kind.options || []).length <= 7);
    this.inputs = [];
    let control;
    if (type === "yes-no") control = this.radios([["true", "Yes"], ["false", "No"]]);
    else if (type === "choice" && groupControls) control = this.radios(this.kind.options.map((o) => [o.key, sentence(o.label)]));
    else if (type === "choice") control = this.select();
    else if (type === "choices") control = this.checkboxes();
    else if (type === "list") control = this.list();
    else control = this.input();

    const prompt = [question.prompt, this.tag];
    let head;
    if (groupControls) {
      head = el("fieldset", { class: "fieldset", "aria-describedby": this.describedBy() }, el("legend", { class: "legend" }, prompt), this.hint(question), this.mistakes, control);
    } else if (type === "list") {
      head = el("fieldset", { class: "fieldset", "aria-describedby": this.describedBy() }, el("legend", { class: "legend" }, prompt), this.hint(question), this.mistakes, control);
    } else {
      head = el("div", {}, el("label", { class: "label label--question", for: `${this.id}-input` }, prompt), this.hint(question), this.mistakes, control);
    }
    this.box.replaceChildren(...[head, this.status, this.why(question)].filter(Boolean));
  }

  // -- controls ---------------------------------------------------------------------------

  radios(options) {
    const name = `${this.id}-answer`;
    const all = [...options, ["", DONT_KNOW]];
    const items = all.map(([value, label], index) => {
      const id = `${this.id}-option-${index}`;
      const input = el("input", { type: "radio", class: "radio__input", id, name, value });
      input.addEventListener("change", () => {
        if (input.checked) this.owner.send(this, value === "" ? { state: "unknown" } : { state: "value", value: this.decode(value) });
      });
      this.inputs.push(input);
      return el("div", { class: `radio${value === "" ? " radio--dont-know" : ""}` }, input, el("label", { class: "radio__label", for: id }, label));
    });
    return el("div", { class: "radios" }, items);
  }

  checkboxes() {
    const options = this.kind.options || [];
    const items = options.map((option, index) => {
      const id = `${this.id}-option-${index}`;
      const input = el("input", { type: "checkbox", class: "radio__input", id, value: option.key });
      input.addEventListener("change", () => {
        if (input.checked) this.dontKnow.checked = false;
        this.sendChecked();
      });
      this.inputs.push(input);
      return el("div", { class: "checkbox" }, input, el("label", { class: "radio__label", for: id }, sentence(option.label)));
    });
    this.dontKnow = el("input", { type: "checkbox", class: "radio__input", id: `${this.id}-dont-know` });
    this.dontKnow.addEventListener("change", () => {
      if (this.dontKnow.checked) {
        for (const input of this.inputs) input.checked = false;
        this.owner.send(this, { state: "unknown" });
      } else {
        this.sendChecked();
      }
    });
    return el(
      "div",
      { class: "radios" },
      items,
      el("p", { class: "hint" }, "Choose all that apply, none if none apply, or:"),
      el("div", { class: "checkbox radio--dont-know" }, this.dontKnow, el("label", { class: "radio__label", for: `${this.id}-dont-know` }, DONT_KNOW)),
    );
  }

  sendChecked() {
    const value = this.inputs.filter((input) => input.checked).map((input) => input.value);
    this.owner.send(this, { state: "value", value });
  }

  select() {
    const select = el(
      "select",
      { class: "select", id: `${this.id}-input`, "aria-describedby": this.describedBy() },
      el("option", { value: "" }, DONT_KNOW),
      (this.kind.options || []).map((option) => el("option", { value: option.key }, sentence(option.label))),
    );
    select.addEventListener("change", () => {
      this.owner.send(this, select.value === "" ? { state: "unknown" } : { state: "value", value: select.value });
    });
    this.inputs.push(select);
    return select;
  }

  input() {
    const type = this.kind.type;
    const attrs = { id: `${this.id}-input`, class: "input", "aria-describedby": this.describedBy(), autocomplete: "off" };
    let input;
    if (type === "number") {
      input = el("input", {
        ...attrs,
        type: "number",
        class: "input input--number",
        inputmode: this.kind.whole === false ? "decimal" : "numeric",
        step: this.kind.whole === false ? "any" : "1",
        min: this.kind.minimum ?? null,
        max: this.kind.maximum ?? null,
      });
    } else if (type === "date") {
      input = el("input", { ...attrs, type: "date", class: "input input--date" });
    } else {
      input = el("textarea", { ...attrs, rows: "2", class: "input textarea" });
    }
    input.addEventListener("input", () => {
      this.dirty = true;
      if (input.value !== "") this.dontKnowBox.checked = false;
    });
    input.addEventListener("change", () => this.sendInput());
    this.inputs.push(input);
    this.dontKnowBox = el("input", { type: "checkbox", class: "radio__input", id: `${this.id}-dont-know` });
    this.dontKnowBox.addEventListener("change", () => {
      if (this.dontKnowBox.checked) {
        input.value = "";
        this.dirty = false;
        this.owner.send(this, { state: "unknown" });
      } else {
        input.focus();
      }
    });
    return el("div", {}, input, el("div", { class: "checkbox radio--dont-know" }, this.dontKnowBox, el("label", { class: "radio__label", for: `${this.id}-dont-know` }, DONT_KNOW)));
  }

  sendInput() {
    const input = this.inputs[0];
    this.dirty = false;
    const raw = input.value.trim();
    if (raw === "") {
      this.dontKnowBox.checked = true;
      this.owner.send(this, { state: "unknown" });
      return;
    }
    if (this.kind.type === "number") {
      const value = Number(raw);
      const { minimum, maximum, whole } = this.kind;
      const problem = !Number.isFinite(value)
        ? "Enter a number, for example 1200"
        : whole !== false && !Number.isInteger(value)
          ? "Enter a whole number, for example 1200"
          : minimum !== null && minimum !== undefined && value < minimum
            ? `Enter a number of at least ${minimum}`
            : maximum !== null && maximum !== undefined && value > maximum
              ? `Enter a number of at most ${maximum}`
              : null;
      if (problem || !input.checkValidity()) {
        this.setStatus("failed", `Not saved: ${problem || "enter a number, for example 1200"}`);
        return;
      }
      this.owner.send(this, { state: "value", value });
      return;
    }
    this.owner.send(this, { state: "value", value: raw });
  }

  list() {
    this.items = el("ol", { class: "list-editor" });
    const add = el("button", { type: "button", class: "button button--secondary" }, "Add an item");
    add.addEventListener("click", () => {
      const input = this.addItem("");
      input.focus();
    });
    this.dontKnowBox = el("input", { type: "checkbox", class: "radio__input", id: `${this.id}-dont-know` });
    this.dontKnowBox.addEventListener("change", () => {
      if (this.dontKnowBox.checked) {
        this.items.replaceChildren();
        this.owner.send(this, { state: "unknown" });
      } else {
        this.sendList();
      }
    });
    return el(
      "div",
      {},
      this.items,
      add,
      el("p", { class: "hint" }, "Leave the list empty if there are none, or:"),
      el("div", { class: "checkbox radio--dont-know" }, this.dontKnowBox, el("label", { class: "radio__label", for: `${this.id}-dont-know` }, DONT_KNOW)),
    );
  }

  addItem(value) {
    const index = this.items.children.length + 1;
    const id = `${this.id}-item-${index}-${Math.random().toString(36).slice(2, 8)}`;
    const input = el("input", { type: "text", class: "input", id, value, autocomplete: "off" });
    input.value = value;
    input.addEventListener("input", () => {
      this.dirty = true;
      this.dontKnowBox.checked = false;
    });
    input.addEventListener("change", () => this.sendList());
    const label = el("label", { class: "label", for: id });
    const remove = el("button", { type: "button", class: "link-button" });
    const item = el("li", { class: "list-editor__item" }, label, el("div", { class: "list-editor__row" }, input, remove));
    remove.addEventListener("click", () => {
      const next = item.nextElementSibling || item.previousElementSibling;
      item.remove();
      this.numberItems();
      this.sendList();
      if (next) next.querySelector("input").focus();
      else this.box.querySelector(".list-editor + button").focus();
    });
    this.items.append(item);
    this.numberItems();
    return input;
  }

  numberItems() {
    [...this.items.children].forEach((item, index) => {
      item.querySelector("label").textContent = `Item ${index + 1}`;
      item.querySelector("button").textContent = `Remove item ${index + 1}`;
    });
  }

  sendList() {
    this.dirty = false;
    const value = [...this.items.querySelectorAll("input")].map((input) => input.value.trim()).filter(Boolean);
    if (value.length) this.dontKnowBox.checked = false;
    this.owner.send(this, { state: "value", value });
  }

  decode(value) {
    return this.kind.type === "yes-no" ? value === "true" : value;
  }

  // -- showing an answer -----------------------------------------------------------------

  update(question) {
    this.tag.textContent = question.matters ? "" : " (optional for this system)";
    const answer = question.answer || { state: "unknown" };
    this.notAsked.hidden = answer.state !== "not-asked";
    // Never overwrite what the person is typing or has just chosen.
    if (this.pending > 0 || this.dirty) return;
    const typing = this.box.contains(document.activeElement) && /^(text|number|date|list)$/.test(this.kind.type);
    if (!typing) this.setAnswer(answer);
  }

  setAnswer(answer) {
    const known = answer.state === "value";
    const value = known ? answer.value : null;
    const type = this.kind.type;
    if (type === "yes-no" || (type === "choice" && this.inputs[0].type === "radio")) {
      for (const input of this.inputs) {
        input.checked = input.value === "" ? answer.state === "unknown" : known && String(value) === input.value;
      }
    } else if (type === "choice") {
      this.inputs[0].value = known ? String(value) : "";
    } else if (type === "choices") {
      const chosen = new Set(Array.isArray(value) ? value.map(String) : []);
      for (const input of this.inputs) input.checked = chosen.has(input.value);
      this.dontKnow.checked = answer.state === "unknown";
    } else if (type === "list") {
      this.items.replaceChildren();
      for (const item of Array.isArray(value) ? value : []) this.addItem(typeof item === "string" ? item : JSON.stringify(item));
      this.dontKnowBox.checked = answer.state === "unknown";
    } else {
      this.inputs[0].value = known ? (typeof value === "string" || typeof value === "number" ? String(value) : JSON.stringify(value)) : "";
      this.dontKnowBox.checked = answer.state === "unknown";
    }
  }

  setStatus(state, message) {
    this.status.className = `field-status field-status--${state}`;
    this.status.textContent = state === "saving" ? "Saving…" : state === "saved" ? "\u2713 Saved" : `\u2717 ${message}`;
    this.box.classList.toggle("question--failed", state === "failed");
  }

  setMistakes(mistakes) {
    this.mistakes.hidden = !mistakes.length;
    this.box.classList.toggle("question--mistake", mistakes.length > 0);
    this.mistakes.replaceChildren(
      ...mistakes.map((mistake) =>
        el("p", { class: "field-error__message" }, el("span", { class: "visually-hidden" }, "Error: "), `Mistake in the file${mistake.line ? ` (line ${mistake.line})` : ""}: `, message(mistake.message), mistake.help ? el("span", { class: "block" }, "How to correct it: ", message(mistake.help)) : null),
      ),
    );
  }

  /** Brings the question into view and puts the keyboard on its first control, opening its
   *  section when it is collapsed. */
  focus() {
    const section = this.box.closest("[id^='section-body-']");
    if (section && section.hidden) {
      const entry = [...this.owner.sections.values()].find((e) => e.body === section);
      if (entry) this.owner.setSectionOpen(entry, true);
    }
    const target = this.inputs.find((input) => input.checked) || this.inputs[0] || this.box.querySelector("input, select, textarea, button");
    this.box.scrollIntoView({ block: "center" });
    if (target) target.focus();
  }
}

// ---------------------------------------------------------------------------------------

document.getElementById("skip-link").addEventListener("click", (event) => {
  // The fragment chooses the view; the skip link moves focus without changing it.
  event.preventDefault();
  main().focus();
  main().scrollIntoView();
});
window.addEventListener("hashchange", route);
document.getElementById("loading")?.remove();
route();
