// The review desk's page: filters, keys, actions (each POST carries the page's token) and the render's status.
"use strict";

const token = document.querySelector('meta[name="desk-token"]').content;
const tokenHeader = document.querySelector('meta[name="desk-token-header"]').content;
const statusBox = document.getElementById("status");
const alertBox = document.getElementById("alert");
const filters = document.getElementById("filters");
const FILTER_KEY = "barkbook-review-filters";

function say(message) { alertBox.textContent = ""; statusBox.textContent = message; }
function complain(message) { alertBox.textContent = message; }

async function post(url, data) {
  const response = await fetch(url, {
    method: "POST", headers: {"Content-Type": "application/json", [tokenHeader]: token},
    body: JSON.stringify(data || {}),
  });
  let answer = {};
  try { answer = await response.json(); } catch (e) { answer = {error: `the desk answered ${response.status}`}; }
  if (!response.ok) { complain(answer.error || `the desk answered ${response.status}`); return null; }
  alertBox.textContent = "";
  return answer;
}

// --- filters and search --------------------------------------------------------------------------
function segments() { return [...document.querySelectorAll("li.segment")]; }
function visible() { return segments().filter((li) => !li.hidden); }

function matches(li, show, kind, speaker, query) {
  if (show === "flagged" && li.dataset.flagged !== "true") return false;
  if (show === "approved" && li.dataset.approved !== "true") return false;
  if (kind && !li.dataset.kinds.split("|").includes(kind)) return false;
  if (speaker && li.dataset.speaker !== speaker) return false;
  return !query || li.dataset.search.includes(query);
}

function applyFilters() {
  const form = new FormData(filters);
  const [show, kind, speaker] = [form.get("show"), form.get("kind"), form.get("speaker")];
  const query = (form.get("q") || "").trim().toLowerCase();
  for (const li of segments()) li.hidden = !matches(li, show, kind, speaker, query);
  for (const section of document.querySelectorAll("section.chapter")) {
    section.hidden = !section.querySelector("li.segment:not([hidden])");
  }
  const count = visible().length;
  document.getElementById("shown").textContent = `${count} segment${count === 1 ? "" : "s"} shown`;
  document.getElementById("empty").hidden = count > 0;
  sessionStorage.setItem(FILTER_KEY, JSON.stringify({show, kind, speaker, q: form.get("q") || ""}));
}

function restoreFilters() {
  const saved = JSON.parse(sessionStorage.getItem(FILTER_KEY) || "null");
  if (!saved) return;
  for (const [name, value] of Object.entries(saved)) {
    const field = filters.elements[name];
    if (field instanceof RadioNodeList) { for (const radio of field) radio.checked = radio.value === value; }
    else if (field && [...(field.options || [{value}])].some((o) => o.value === value)) field.value = value;
  }
}

// --- the current segment and the keys ------------------------------------------------------------
let current = null;

function focusSegment(li) {
  if (!li) return;
  current = li;
  li.focus();
  li.scrollIntoView({block: "center"});
  history.replaceState(null, "", `#${li.id}`);
}

function move(step) {
  const list = visible();
  if (!list.length) return;
  const at = list.indexOf(current);
  focusSegment(list[at < 0 ? (step > 0 ? 0 : list.length - 1) : Math.min(Math.max(at + step, 0), list.length - 1)]);
}

function toggle(audio) {
  if (!audio) return;
  for (const other of document.querySelectorAll("audio")) if (other !== audio) other.pause();
  if (audio.paused) audio.play().catch((e) => complain(`cannot play: ${e.message}`)); else audio.pause();
}

const KEYS = {
  j: () => move(1), k: () => move(-1),
  " ": () => toggle(current && current.querySelector("audio.kept")),
  c: () => toggle(current && current.querySelector("audio.context")),
  r: () => current && act("retake", current),
  a: () => current && act("approve", current),
};

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target.closest("input, textarea, select, button, audio, summary")) return;
  const handle = KEYS[event.key];
  if (handle) { event.preventDefault(); handle(); }
});

document.addEventListener("focusin", (event) => {
  const li = event.target.closest && event.target.closest("li.segment");
  if (li) current = li;
});

// --- actions --------------------------------------------------------------------------------------
function reloadAt(li) {
  const list = visible();
  const next = li && (list[list.indexOf(li) + 1] || li);
  if (next) history.replaceState(null, "", `#${next.id}`);
  location.reload();
}

async function act(name, li, extra) {
  const base = li ? `/api/segments/${li.dataset.id}` : "";
  const routes = {
    approve: [`${base}/approve`, {}], unapprove: [`${base}/unapprove`, {}],
    retake: [`${base}/retake`, {takes: li && Number(li.querySelector("input[name=takes]").value)}],
    keep: [`${base}/keep`, {seed: Number(extra)}], spoken: [`${base}/spoken`, {spoken: extra}],
    "reset-spoken": [`${base}/spoken`, {spoken: null}], render: ["/api/render", {}],
  };
  const [url, data] = routes[name];
  const answer = await post(url, data);
  if (!answer) return;
  say(answer.message);
  if (name === "approve" || name === "unapprove") reloadAt(li);
  else watch();
}

function clip(text, most) { return text.length > most ? `${text.slice(0, most - 1)}…` : text; }

async function lexicon(name) {
  const form = new FormData(document.getElementById("lexicon-form"));
  const data = {written: form.get("written"), spoken: form.get("spoken")};
  const box = document.getElementById("lexicon-preview");
  if (name === "add-lexicon") {
    const answer = await post("/api/lexicon", data);
    if (answer) { say(answer.message); watch(); }
    return;
  }
  const answer = await post("/api/lexicon/preview", data);
  if (!answer) return;
  box.replaceChildren();
  const head = document.createElement("p");
  head.textContent = `${answer.changes.length} segment${answer.changes.length === 1 ? "" : "s"} would change`;
  const list = document.createElement("ul");
  for (const change of answer.changes) {
    const item = document.createElement("li");
    item.textContent = `${change.chapter}, segment ${change.position}: “${clip(change.after, 140)}”`;
    if (change.before) item.title = `was: ${change.before}`;
    list.append(item);
  }
  box.append(head, list);
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-act]");
  if (!button) return;
  event.preventDefault();
  const name = button.dataset.act;
  if (name === "preview-lexicon" || name === "add-lexicon") return lexicon(name);
  const li = button.closest("li.segment");
  if (name === "spoken") return act(name, li, li.querySelector("textarea[name=spoken]").value);
  act(name, li, button.dataset.seed);
});

document.addEventListener("submit", (event) => {
  event.preventDefault();
  if (event.target.id === "lexicon-form") lexicon("preview-lexicon");
  else if (event.target.classList.contains("spoken-form")) {
    const li = event.target.closest("li.segment");
    act("spoken", li, li.querySelector("textarea[name=spoken]").value);
  }
});

// --- the render's status: followed while one runs; the page is drawn again when it ends ------------
const drawn = {number: Number(statusBox.dataset.number), running: statusBox.dataset.state === "running"};
let watching = null;

async function poll() {
  const response = await fetch("/api/status");
  if (!response.ok) return;
  const status = await response.json();
  if (status.state === "running") {
    statusBox.textContent = `Rendering (${status.what}): ${status.progress}`;
  } else if (status.number > drawn.number || (drawn.running && status.number === drawn.number)) {
    clearInterval(watching);
    reloadAt(null);  // a render ended since this page was drawn: draw what it made
  }
}

function watch() {
  if (!watching) watching = setInterval(poll, 1000);
}

filters.addEventListener("input", applyFilters);
filters.addEventListener("change", applyFilters);
restoreFilters();
applyFilters();
if (drawn.running) watch();
const start = location.hash && document.querySelector(location.hash);
if (start && !start.hidden) focusSegment(start);
