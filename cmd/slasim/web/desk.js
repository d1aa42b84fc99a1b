// The planner's desk: the scenario as a form, and runs of it. All state is
// here, in the page; each request to the desk carries the scenario (an
// example's name or a file's text) and the settings changed on the form,
// so that tabs never meet.
"use strict";

const $ = (id) => document.getElementById(id);

const state = {
  source: null,        // {example} or {file, text}
  fields: [],          // the form's fields as opened: {path, value, line, note}
  settings: new Map(), // path -> value changed on the form
  pinned: null,        // what-if A's settings, when pinned
  mode: "run",
  controller: null,    // the request under way
  run: null,           // its name, by which the desk cancels it
  sized: null,         // the last sizing's scenario text
  openings: 0,         // scenarios asked to open, the last one's answer shown
  // The error of each mode's last answer, of its last download (as
  // "MODE download") and "open"'s of opening the scenario. A mode's stays
  // until that mode answers again, whatever other requests come and go; a
  // download's, until the mode's next download or a change of the form it
  // was about. Each shows while its mode is on.
  problems: {},
};

// --- formatting, as the command line's reports write figures -------------

function pct(x) {
  return x == null || Number.isNaN(x) ? "-" : (100 * x).toFixed(1) + "%";
}

function interval(e) {
  if (!e || e.lo == null) return "-";
  return "[" + pct(Math.max(e.lo, 0)) + ", " + pct(Math.min(e.hi, 1)) + "]";
}

// pctCI writes a share and its interval, as the text report does: the
// interval need not be symmetric about the mean.
function pctCI(e) {
  if (!e) return "-";
  return e.lo == null ? pct(e.mean) : pct(e.mean) + " " + interval(e);
}

// figure writes x as plural.Figure does: to the significant digits (three
// unless given), whole where they would take an exponent (2006, not
// toPrecision's 2.01e+3).
function figure(x, digits = 3) {
  const s = x.toPrecision(digits);
  if (s.includes("e") && Math.abs(x) >= 1) return String(Math.round(x));
  return String(Number(s));
}

// count writes a figure with its noun, singular when it reads 1, as
// plural.Count does: "1 agent", "2.5 agents".
function count(x, one, many) {
  const s = figure(x);
  return s + " " + (s === "1" ? one : many);
}

// duration writes seconds as format.Duration does: two units at most.
function duration(s) {
  if (s == null || Number.isNaN(s)) return "-";
  if (s < 0) return "-" + duration(-s);
  if (s === 0) return "0s";
  if (s < 0.5) return "<1s";
  const units = [[604800, "w"], [86400, "d"], [3600, "h"], [60, "m"], [1, "s"]];
  for (let i = 0; i < units.length - 1; i++) {
    const [size, name] = units[i];
    if (s < size) continue;
    const [next, nextName] = units[i + 1];
    const total = Math.round(s / next) * next;
    const hi = Math.floor(total / size), lo = Math.round((total % size) / next);
    if (lo === 0) return hi + name;
    const pad = nextName === "m" || nextName === "s";
    return hi + name + (pad && lo < 10 ? "0" : "") + lo + nextName;
  }
  return Math.round(s) + "s";
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null) continue;
    if (k === "class") e.className = v;
    else if (k.startsWith("data-")) e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children) {
    if (c == null) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

const verdictText = { yes: "yes", no: "no", undetermined: "not determined" };
const verdictClass = { yes: "yes", no: "no", undetermined: "maybe" };

// --- requests --------------------------------------------------------------

function request(extra) {
  const q = Object.assign({}, state.source);
  const settings = settingsList(state.settings);
  if (settings.length) q.settings = settings;
  return Object.assign(q, extra || {});
}

function settingsList(m) {
  return [...m].map(([path, value]) => ({ path, value }));
}

async function postJSON(url, body, signal) {
  return fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
    signal,
  });
}

// The modes, and what the request of each is called: a request stopped by
// another's says which.
const requestNames = { run: "a run", compare: "a comparison", sweep: "a sweep", size: "a sizing", promise: "a promise" };

// stop ends the request under way, if any. The reason is {by}: the mode
// whose request starts, "cancel" (the Cancel button) or "open" (another
// scenario).
function stop(reason) {
  if (state.controller) state.controller.abort(reason);
}

// cancel asks the desk to stop the request under way, which then answers
// with what was done, marked stopped. When the desk does not have it (it
// has not arrived, or has ended) or does not answer, the page stops
// reading it.
async function cancel() {
  const run = state.run;
  if (!run) return;
  try {
    if ((await postJSON("/api/cancel", { run })).ok) return;
  } catch {
    // Stopped below.
  }
  if (state.run === run) stop({ by: "cancel" });
}

// stream posts a mode's request to its streamed endpoint, shows its
// progress, and returns its last line: {result} or {error}. A request
// stopped before that line came returns why as an error marked stopped
// (the Cancel button, another mode's request), or null when a later
// request of the same mode replaces it, or another scenario was opened
// since: its page shows nothing of this one's.
async function stream(mode, body, describe) {
  stop({ by: mode });
  const controller = new AbortController();
  const run = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
  state.controller = controller;
  state.run = run;
  const opening = state.openings;
  showStatus("starting…", 0, 0);
  const started = performance.now();
  let last = null, stopped = null, began = false;
  try {
    const resp = await postJSON("/api/" + mode, Object.assign({ run }, body), controller.signal);
    if (!resp.ok) return await resp.json();
    const reader = resp.body.getReader();
    const decoder = new TextDecoder();
    let buf = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += decoder.decode(value, { stream: true });
      let nl;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = JSON.parse(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
        // The turn may be held by another tab's run, or by this page's
        // last, still stopping.
        if (line.waiting) showStatus("waiting for the run under way on the desk to end…", 0, 0);
        else if (line.progress) {
          const [text, done, planned] = describe(line.progress);
          const secs = ((performance.now() - started) / 1000).toFixed(1);
          showStatus(text + " · " + secs + " s", done, planned);
        } else if (line.stopped) {
          stopped = line.stopped;
          began = line.began;
        } else last = line;
      }
    }
  } catch (err) {
    // Cancelled (the Cancel button, a later request): an answer already
    // read stands, the server had finished.
    if (!controller.signal.aborted) last = { error: { message: "the desk did not answer: " + err.message } };
  } finally {
    if (state.controller === controller) {
      state.controller = null;
      state.run = null;
      $("status").hidden = true;
    }
  }
  if (opening !== state.openings) return null;
  if (last && stopped) last.stopped = stopped;
  // Stopped by the desk while waiting its turn, or before it had anything
  // to show.
  if (!last && stopped) {
    const message = began ? " before it finished" + (unfinished[mode] || "") + "." : " before it began.";
    return { error: { message: sentence(stopped) + message, stopped: true } };
  }
  if (last || !controller.signal.aborted) return last;
  const by = controller.signal.reason.by;
  if (by === "cancel") return { error: { message: "Cancelled before it finished.", stopped: true } };
  if (by === mode) return null;
  return { error: { message: "Stopped: " + requestNames[by] + " started before this one finished (the page runs one request at a time).", stopped: true } };
}

// unfinished says why a mode stopped before its end shows nothing.
const unfinished = { size: ": a sizing answers once its search is done", promise: ": nothing is promised on a partial run" };

// sentence starts a message of the desk ("cancelled", "stopped after…")
// with a capital.
function sentence(s) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function showStatus(text, done, planned) {
  $("status").hidden = false;
  const p = $("progress");
  if (planned > 0) {
    p.max = planned;
    p.value = done;
  } else {
    p.removeAttribute("value");
  }
  $("progresstext").textContent = text;
}

function replicationsProgress(p) {
  return [p.done + " of " + count(p.planned, "replication", "replications"), p.done, p.planned];
}

// --- opening a scenario and its form -------------------------------------

// open opens a scenario, with the settings (a list of {path, value}) on its
// form and what-if A's pinned, as a reload or Back finds them. A scenario
// opened afresh: what runs, and every answer shown, were about the one
// before.
async function open(source, settings = [], pinned = null) {
  clearTimeout(debounce);
  stop({ by: "open" });
  state.sized = null;
  for (const mode of Object.keys(requestNames)) $(mode + "-out").replaceChildren();
  state.source = source;
  state.settings = new Map(settings.map((s) => [s.path, s.value]));
  state.pinned = null;
  if (pinned) pin(new Map(pinned.map((s) => [s.path, s.value])));
  if (source.example) $("example").value = source.example;
  state.problems = {};
  showProblems();
  // An earlier opening's answer may come after a later one's: it is dropped.
  const opening = ++state.openings;
  // The scenario as opened: the form's values are its, the settings marked
  // on them.
  const resp = await postJSON("/api/open", source);
  const doc = await resp.json();
  if (opening !== state.openings) return;
  if (doc.error) {
    // Nothing of the scenario before stays beside this one's name.
    state.fields = [];
    for (const id of ["form", "description", "source", "warnings", "paths"]) $(id).replaceChildren();
    $("name").textContent = source.file || source.example;
    setProblems("open", doc.error);
    if (source.text) {
      $("yamltext").value = source.text;
      setView("yaml");
    }
    return;
  }
  state.fields = doc.fields;
  $("name").textContent = doc.name;
  $("description").textContent = doc.description || "";
  $("source").textContent = doc.source;
  $("yamltext").value = doc.text;
  showWarnings(doc.warnings);
  buildForm(doc.fields);
  for (const [path, value] of state.settings) {
    const i = document.getElementById("f:" + path);
    if (!i) continue;
    i.value = value;
    i.classList.add("changed");
  }
  $("paths").replaceChildren(...doc.fields.map((f) => el("option", { value: f.path + "=" })));
  rerun();
}

const sectionTitles = {
  name: "Scenario", description: "Scenario", simulation: "Simulation", arrivals: "Volume and profile",
  calendars: "Calendars", tiers: "Tiers and targets", agents: "Agents", teams: "Teams and shifts",
  automation: "Automation", sizing: "Sizing", contract: "Contract",
};

// buildForm lays the fields out by section (the top-level field), by item of
// a list (a tier, a team), with lists of plain values (a profile's 24 hours)
// on one row.
function buildForm(fields) {
  const form = $("form");
  form.replaceChildren();
  const sections = new Map();
  const section = (key) => {
    const title = sectionTitles[key] || key;
    if (!sections.has(title)) {
      const d = el("details", { class: "section", open: true, "data-section": key }, el("summary", {}, title));
      sections.set(title, { details: d, groups: new Map() });
      form.append(d);
    }
    return sections.get(title);
  };
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    const top = f.path.match(/^[^.[]+/)[0];
    const s = section(top);
    // The item of a top-level list: tiers[0], teams[1].
    const item = f.path.match(/^[^.[]+\[\d+\]/);
    let group = s.details;
    let label = f.path;
    if (item) {
      const key = item[0];
      if (!s.groups.has(key)) {
        const name = fields.find((g) => g.path === key + ".name");
        const fs = el("fieldset", { class: "item", "data-path": key }, el("legend", {}, key + (name ? " · " + name.value : "")));
        s.groups.set(key, fs);
        s.details.append(fs);
      }
      group = s.groups.get(key);
      label = f.path.slice(key.length + 1) || key;
    } else if (f.path !== top) {
      label = f.path.slice(top.length + 1);
    }
    // A list of plain values: its items side by side.
    const list = f.path.match(/^(.*)\[(\d+)\]$/);
    if (list && list[2] === "0" && fields[i + 1] && fields[i + 1].path === list[1] + "[1]") {
      const parent = list[1];
      const row = el("div", { class: "field list", "data-path": parent });
      const name = item ? parent.slice(item[0].length + 1) : parent.slice(top.length + 1);
      row.append(el("span", { class: "label" }, name || parent));
      const cells = el("span", { class: "cells" });
      let j = i;
      for (; j < fields.length && fields[j].path === parent + "[" + (j - i) + "]"; j++) {
        const g = fields[j];
        cells.append(el("label", { class: "cell", title: g.path }, el("small", {}, String(j - i)), input(g)));
      }
      row.append(cells, el("span", { class: "problem" }));
      group.append(row);
      i = j - 1;
      continue;
    }
    const row = el("div", { class: "field", "data-path": f.path },
      el("label", { htmlFor: "f:" + f.path, class: "label", title: f.path }, label),
      input(f), f.note ? el("span", { class: "note" }, f.note) : null, el("span", { class: "problem" }));
    group.append(row);
  }
}

function input(f) {
  const i = el("input", { id: "f:" + f.path, value: f.value, "data-path": f.path, "data-base": f.value, size: Math.min(Math.max(f.value.length + 1, 4), 48) });
  i.addEventListener("change", () => {
    const v = i.value;
    if (v === i.dataset.base) state.settings.delete(f.path);
    else state.settings.set(f.path, v);
    i.classList.toggle("changed", v !== i.dataset.base);
    changed();
  });
  return i;
}

// remember keeps the scenario, the form's settings, what-if A and the mode
// in the tab's history: a reload comes back to them, and Back and Forward
// go through the scenarios opened. push makes a new entry (a scenario
// opened); else the entry is updated (a value changed, A pinned, a mode
// chosen).
function remember(push) {
  const url = state.source.example ? "?example=" + encodeURIComponent(state.source.example) : location.pathname;
  const entry = { source: state.source, settings: settingsList(state.settings), pinned: state.pinned && settingsList(state.pinned), mode: state.mode };
  try {
    history[push ? "pushState" : "replaceState"](entry, "", url);
  } catch {
    // A text too large for the browser to keep: a reload opens the
    // example the address names.
  }
}

// reopen opens a scenario as the tab's history has it.
function reopen(entry) {
  if (entry.mode) setMode(entry.mode);
  open(entry.source, entry.settings, entry.pinned);
}

// addressed is what the page's address asks to open: ?example=NAME.
function addressed() {
  return { source: { example: new URLSearchParams(location.search).get("example") || "default" }, settings: [] };
}

let debounce = null;
function changed() {
  remember(false);
  // A download's problems were about the form before.
  for (const slot of Object.keys(state.problems)) if (slot.endsWith(" download")) delete state.problems[slot];
  showProblems();
  if (!$("auto").checked) return;
  clearTimeout(debounce);
  debounce = setTimeout(rerun, 400);
}

function rerun() {
  if (state.mode === "run") run();
  else if (state.mode === "compare" && state.pinned) compare();
}

// --- problems -------------------------------------------------------------

// setProblems records the error of an answer in its slot (a mode, a mode's
// download, "open"), none when it has a result, and shows the problems.
function setProblems(slot, err) {
  state.problems[slot] = err || null;
  showProblems();
}

// showProblems shows the problems of opening the scenario and of the mode
// on, each on the field it is about, or the nearest part of the form that
// holds it, the rest listed above the results.
function showProblems() {
  $("errors").replaceChildren();
  for (const p of document.querySelectorAll(".problem")) p.textContent = "";
  for (const f of document.querySelectorAll(".invalid")) f.classList.remove("invalid");
  const errs = [state.problems.open, state.problems[state.mode], state.problems[state.mode + " download"]].filter((e) => e);
  // A request about a scenario that did not open repeats its problems:
  // they show once.
  const shown = new Set();
  for (const err of errs) {
    const key = JSON.stringify(err);
    if (!shown.has(key)) showError(err);
    shown.add(key);
  }
}

function showError(err) {
  const list = el("ul");
  for (const p of err.problems || []) {
    const where = fieldOf(p.path);
    if (where) {
      where.classList.add("invalid");
      const slot = where.querySelector(".problem");
      if (slot) {
        slot.textContent = (slot.textContent ? slot.textContent + "; " : "") + p.reason;
        continue;
      }
    }
    list.append(el("li", {}, (p.path ? p.path + ": " : "") + (p.line ? "line " + p.line + ": " : "") + p.reason));
  }
  const box = el("div", { class: err.stopped ? "notice" : "error" }, el("p", {}, err.message));
  if (list.children.length) box.append(list);
  $("errors").append(box);
}

function fieldOf(path) {
  if (!path) return null;
  for (let p = path; p; p = p.replace(/(\.[^.[]*|\[\d+\])$/, "")) {
    const at = '[data-path="' + CSS.escape(p) + '"]';
    const f = document.querySelector(".field" + at + ", fieldset" + at + ", fieldset label" + at);
    if (f) return f;
    if (!/[.[]/.test(p)) {
      const s = document.querySelector('details[data-section="' + CSS.escape(p) + '"]');
      if (s) return s;
      break;
    }
  }
  return null;
}

function showWarnings(warnings) {
  $("warnings").replaceChildren(...(warnings || []).map((w) => el("li", {}, (w.path ? w.path + ": " : "") + w.reason)));
}

// --- a run ------------------------------------------------------------------

async function run() {
  const out = await stream("run", request(), replicationsProgress);
  if (!out) return;
  setProblems("run", out.error);
  if (out.error) return;
  $("run-out").replaceChildren(renderRun(out.result, out.stopped));
}

function renderRun(res, stopped) {
  const r = res.report;
  const box = el("div", { class: "run" });
  const facts = [
    "seed " + r.seed,
    count(r.replications, "replication", "replications"),
    duration(r.horizon_s) + " measured after a " + duration(r.warm_up_s) + " warm-up",
    "offered load " + r.offered_load_erlangs.toFixed(2) + " Erlangs on " + count(r.capacity_agents, "agent", "agents"),
  ];
  if (r.utilisation) facts.push("utilisation " + pctCI(r.utilisation));
  box.append(el("p", { class: "facts", id: "run-facts" }, facts.join(" · ")));
  if (r.partial) box.append(el("p", { class: "notice" }, sentence(stopped || "stopped") + ": the figures cover " + r.replications + " of " + count(r.replications_planned, "replication", "replications") + "."));
  if (res.unstable) {
    box.append(el("p", { class: "notice", id: "unstable" }, res.unstable));
    return box;
  }
  box.append(resultsTable(r));
  box.append(analytic(r, res.no_closed_form));
  if (r.contract) box.append(contractFacts(r.contract));
  box.append(figures(res.figures));
  return box;
}

function resultsTable(r) {
  const level = pct(r.level).replace(".0%", "%");
  const t = el("table", { class: "results", id: "results-table" });
  t.append(el("thead", {}, el("tr", {}, ...["tier", "clock", "target", "attainment", "95% interval", "mean", "p95", "breached", "meets " + level + "?"].map((h) => el("th", {}, h)))));
  const body = el("tbody");
  for (const tier of r.tiers) {
    ["response", "resolution"].forEach((clock, i) => {
      const m = tier[clock];
      if (!m) {
        // A tier that promises no resolution: said so, no figure.
        body.append(el("tr", { "data-tier": tier.name, "data-clock": clock }, el("td", {}, ""), el("td", {}, clock), el("td", { class: "num", colSpan: 7 }, "no target")));
        return;
      }
      const cls = verdictClass[m.verdict];
      body.append(el("tr", { class: cls + (i === 0 ? " first" : ""), "data-tier": tier.name, "data-clock": clock },
        el("td", {}, i === 0 ? tier.name : ""), el("td", {}, clock), el("td", { class: "num" }, duration(m.target_s)),
        el("td", { class: "num attainment" }, m.attainment ? pct(m.attainment.mean) : "-"),
        el("td", { class: "num interval" }, interval(m.attainment)),
        el("td", { class: "num" }, m.mean_s ? duration(m.mean_s.mean) : "-"),
        el("td", { class: "num" }, m.p95_s == null ? "-" : duration(m.p95_s)),
        el("td", { class: "num" }, m.tickets ? m.breached + " of " + m.tickets : "-"),
        el("td", {}, el("span", { class: "verdict" }, verdictText[m.verdict]))));
    });
  }
  t.append(body);
  return t;
}

function analytic(r, reason) {
  const a = r.analytic;
  if (!a) return el("p", { class: "hint", id: "no-closed-form" }, "No closed form beside the simulation: " + (reason || "none") + ".");
  const t = r.tiers[0];
  const leaves = a.prob_abandon != null || a.prob_blocked != null;
  const box = el("div", { class: "analytic", id: "analytic" });
  box.append(el("h3", {}, a.formula + " beside the simulation"));
  let model = "One pool of " + count(a.agents, "agent", "agents") + ", Poisson arrivals at " + figure(a.arrivals_per_hour, 4) + " an hour, exponential handling of mean " + duration(a.handling_time_s);
  if (a.patience_s != null) model += ", exponential patience of mean " + duration(a.patience_s);
  else if (a.waiting_room === 0) model += ", no room to wait";
  else if (a.waiting_room != null) model += ", room for " + a.waiting_room + " to wait";
  box.append(el("p", { class: "hint" }, model + ": " + a.formula + " gives the steady state exactly, per ticket: beside it, the figures of all the replications' tickets pooled (the attainment above is the mean of each replication's share, as a letter judged period by period counts it)."));
  const withCI = (e) => (e ? pct(e.mean) + " " + interval(e) : "-");
  const rows = [
    ["response within " + duration(t.response.target_s) + (leaves ? ", of all tickets" : ""), pct(a.response), withCI(t.response.pooled_attainment)],
    t.resolution ? ["resolution within " + duration(t.resolution.target_s) + (leaves ? ", of those resolved" : ""), pct(a.resolution), withCI(t.resolution.pooled_attainment)] : ["resolution", "no target", "no target"],
    [leaves ? "P(wait), answered tickets" : "P(wait)", pct(a.prob_wait), a.simulated_prob_wait == null ? "-" : pct(a.simulated_prob_wait)],
    [leaves ? "ASA (mean wait), answered" : "ASA (mean wait)", a.asa_s == null ? "-" : duration(a.asa_s), t.response.pooled_mean_s ? duration(t.response.pooled_mean_s.mean) : "-"],
    ["occupancy", pct(a.occupancy), pctCI(r.utilisation)],
  ];
  if (a.answered_response != null) rows.splice(1, 0, ["response within " + duration(t.response.target_s) + ", of answered tickets", pct(a.answered_response), withCI(t.response.pooled_answered_attainment)]);
  if (a.prob_abandon != null) rows.push(["hung up", pct(a.prob_abandon), t.abandoned ? withCI(t.abandoned.pooled_share) : "-"]);
  if (a.prob_blocked != null) rows.push(["turned away", pct(a.prob_blocked), t.blocked ? withCI(t.blocked.pooled_share) : "-"]);
  const table = el("table", { class: "results" }, el("thead", {}, el("tr", {}, el("th", {}), el("th", { class: "num" }, a.formula), el("th", { class: "num" }, "simulated, pooled"))));
  const body = el("tbody");
  for (const [name, exact, sim] of rows) body.append(el("tr", {}, el("td", {}, name), el("td", { class: "num" }, exact), el("td", { class: "num" }, sim)));
  table.append(body);
  box.append(table);
  const n = (x) => (x == null ? "none suffice" : String(x));
  const level = pct(r.level).replace(".0%", "%");
  box.append(el("p", {}, "Agents for " + level + ": " + n(a.agents_for_response) + " (response)" + (leaves ? "." : t.resolution ? ", " + n(a.agents_for_resolution) + " (resolution)." : "; no resolution target.")));
  return box;
}

function contractFacts(c) {
  const money = (x) => (x == null ? "-" : Math.round(x).toLocaleString("en"));
  const facts = ["cost per " + c.period + ": mean " + money(c.cost_per_period.mean && c.cost_per_period.mean.mean) + " " + c.currency + ", p95 " + money(c.cost_per_period.p95)];
  if (c.escalation && c.escalation.termination) facts.push("termination right within the term " + pct(c.escalation.termination.p));
  if (c.reserve) facts.push("a year beyond the fund " + pct(c.reserve.exceeded.p));
  return el("p", { class: "facts", id: "contract-facts" }, "Contract: " + facts.join(" · "));
}

function figures(figs) {
  const box = el("div", { class: "figures" });
  for (const f of figs || []) {
    const fig = el("figure", { id: "figure-" + f.name });
    const holder = el("div", { class: "svg" });
    // The SVG is the desk's own drawing (gonum/plot), its texts escaped.
    holder.innerHTML = f.svg;
    fig.append(holder, el("figcaption", {}, el("b", {}, f.title + ". "), f.caption));
    box.append(fig);
  }
  return box;
}

// --- compare ----------------------------------------------------------------

async function compare() {
  if (!state.pinned) {
    setProblems("compare", { message: "Pin what-if A first, then change the form for B." });
    return;
  }
  const q = request({ pinned: settingsList(state.pinned) });
  const out = await stream("compare", q, (p) => {
    const [text, done, planned] = replicationsProgress(p.run);
    return ["what-if " + p.what + ": " + text, done, planned];
  });
  if (!out) return;
  setProblems("compare", out.error);
  if (out.error) return;
  $("compare-out").replaceChildren(renderCompare(out.result, out.stopped));
}

// pin makes the settings what-if A, which B, the form's, is set beside.
function pin(settings) {
  state.pinned = settings;
  $("compare-out").replaceChildren(el("p", {}, el("b", {}, "A: "), describeSettings(settings), ". Now change the form for B."));
}

function describeSettings(m) {
  return m.size ? [...m].map(([p, v]) => p + " = " + v).join(", ") : "the scenario as opened";
}

function renderCompare(res, stopped) {
  const box = el("div");
  box.append(el("p", {}, el("b", {}, "A: "), describeSettings(state.pinned)));
  box.append(el("p", {}, el("b", {}, "B: "), describeSettings(state.settings)));
  if (!res.b) {
    box.append(el("p", { class: "notice" }, sentence(stopped || "stopped") + " before what-if B ran."));
    return box;
  }
  if (res.b.partial) box.append(el("p", { class: "notice" }, sentence(stopped || "stopped") + ": what-if B covers " + res.b.replications + " of " + count(res.b.replications_planned, "replication", "replications") + "."));
  if (!res.same_seed) box.append(el("p", { class: "notice" }, "The what-ifs have different seeds: their difference carries noise of its own."));
  const t = el("table", { class: "results", id: "compare-table" });
  t.append(el("thead", {}, el("tr", {}, ...["tier", "clock", "A", "B", "B − A", "95% interval of B − A"].map((h) => el("th", {}, h)))));
  const body = el("tbody");
  const signed = (x) => (x >= 0 ? "+" : "−") + (100 * Math.abs(x)).toFixed(1) + " pts";
  for (const c of res.comparison.clocks) {
    const d = c.difference;
    let cls = "";
    if (d && d.lo != null) cls = d.lo > 0 ? "yes" : d.hi < 0 ? "no" : "";
    body.append(el("tr", { "data-tier": c.tier, "data-clock": c.clock, class: cls },
      el("td", {}, c.tier), el("td", {}, c.clock),
      el("td", { class: "num" }, c.a ? pct(c.a.mean) : "-"), el("td", { class: "num" }, c.b ? pct(c.b.mean) : "-"),
      el("td", { class: "num difference" }, d ? signed(d.mean) : "-"),
      el("td", { class: "num" }, d && d.lo != null ? "[" + signed(d.lo) + ", " + signed(d.hi) + "]" : "-")));
  }
  t.append(body);
  box.append(t, el("p", { class: "hint" }, "Green: B is better with 95% confidence; red: worse; plain: the interval holds no difference."));
  return box;
}

// --- sweep ------------------------------------------------------------------

async function runSweep() {
  const vary = [$("vary1").value.trim(), $("vary2").value.trim()].filter((v) => v);
  const out = await stream("sweep", request({ vary }), (p) => [
    "point " + p.point + " of " + p.points + " (" + p.label + "): " + p.done + " of " + count(p.planned, "replication", "replications"),
    (p.point - 1) * p.planned + p.done, p.points * p.planned]);
  if (!out) return;
  setProblems("sweep", out.error);
  if (out.error) return;
  $("sweep-out").replaceChildren(renderSweep(out.result));
}

function renderSweep(res) {
  const sw = res.sweep;
  const box = el("div");
  if (sw.partial) box.append(el("p", { class: "notice" }, "Interrupted: " + sw.points.length + " of " + count(sw.points_planned, "point was", "points were") + " run."));
  const t = el("table", { class: "results sweep", id: "sweep-table" });
  const first = sw.points.length ? sw.points[0].report : null;
  const head = el("tr", {}, ...sw.vary.map((v) => el("th", {}, v)), el("th", {}, "utilisation"));
  // Each tier's clocks: response, resolution (unless no tier promises
  // one), then the named clocks it has at any point, in the order the
  // points first give them: a sweep may rename a clock, and each point
  // reads its own, "no target" under the others.
  const resolutions = sw.points.some((p) => p.report.tiers.some((t) => t.resolution));
  const columns = [];
  if (first) first.tiers.forEach((tier, i) => {
    columns.push({ tier: i, head: tier.name + " response", metric: (t) => t.response });
    if (resolutions) columns.push({ tier: i, head: tier.name + " resolution", metric: (t) => t.resolution });
    const named = [];
    for (const p of sw.points) for (const c of p.report.tiers[i].clocks || []) if (!named.includes(c.name)) named.push(c.name);
    for (const name of named) columns.push({ tier: i, head: tier.name + " " + name, metric: (t) => (t.clocks || []).find((c) => c.name === name) });
  });
  for (const c of columns) head.append(el("th", {}, c.head));
  t.append(el("thead", {}, head));
  const body = el("tbody");
  for (const p of sw.points) {
    const r = p.report;
    const row = el("tr", {}, ...p.values.map((v) => el("td", { class: "num" }, v)));
    if (r.unstable) {
      row.append(el("td", { class: "unstable", colSpan: 1 + columns.length }, "unstable"));
    } else {
      row.append(el("td", { class: "num" }, pctCI(r.utilisation)));
      for (const c of columns) {
        const m = c.metric(r.tiers[c.tier]);
        if (!m) {
          row.append(el("td", { class: "num" }, "no target"));
          continue;
        }
        row.append(el("td", { class: "num " + verdictClass[m.verdict] }, m.attainment ? pct(m.attainment.mean) : "-", el("span", { class: "ci" }, interval(m.attainment))));
      }
    }
    body.append(row);
  }
  t.append(body);
  box.append(t, el("p", { class: "hint" }, "Green: met at the " + pct(sw.level).replace(".0%", "%") + " level with 95% confidence; red: not met; amber: not determined."), figures(res.figures));
  return box;
}

// --- size -------------------------------------------------------------------

async function runSize() {
  const level = $("level").value.trim();
  const out = await stream("size", request(level ? { level } : {}), (p) => [count(p.simulations, "staffing", "staffings") + " simulated, the last " + p.agents.join(", "), 0, 0]);
  if (!out) return;
  setProblems("size", out.error);
  if (out.error) return;
  state.sized = out.result.sized;
  $("size-out").replaceChildren(el("pre", { id: "sizing-text" }, out.result.text));
}

// --- promise ----------------------------------------------------------------

// promiseAsk is the promise form's question; empty values take slasim
// promise's defaults.
function promiseAsk() {
  const v = (id) => $(id).value.trim();
  return { period: v("promise-period"), share: v("promise-share"), confidence: v("promise-confidence"), level: v("promise-level"), ladder: v("promise-ladder") };
}

async function runPromise() {
  const out = await stream("promise", request({ promise: promiseAsk() }), replicationsProgress);
  if (!out) return;
  setProblems("promise", out.error);
  if (out.error) return;
  $("promise-out").replaceChildren(renderPromise(out.result));
}

function renderPromise(res) {
  const d = res.promise;
  const box = el("div");
  const confidence = pct(d.confidence).replace(".0%", "%");
  const head = ["tier", "clock", "level", "target now", "promise", d.period + "s meeting it", confidence + " interval", "mean attainment"];
  if (d.currency != null) head.push("cost a " + d.period + (d.currency ? " (" + d.currency + ")" : ""));
  const t = el("table", { class: "results", id: "promise-table" }, el("thead", {}, el("tr", {}, ...head.map((h) => el("th", {}, h)))));
  const body = el("tbody");
  for (const r of d.rows) {
    // The promise's figures; none without one (the text's notes say how
    // far the ladder's loosest target falls short).
    const g = r.rungs.find((x) => x.promise);
    const promised = g != null;
    const iv = !promised || g.interval[0] == null ? "-" : "[" + pct(g.interval[0]) + ", " + pct(g.interval[1]) + "]";
    const row = el("tr", { "data-tier": r.tier, "data-clock": r.clock },
      el("td", {}, r.tier), el("td", {}, r.clock), el("td", { class: "num" }, pct(r.level)), el("td", { class: "num" }, duration(r.target_s)),
      el("td", { class: "num promise " + (promised ? "yes" : "no") }, promised ? duration(r.promise_s) : "none"),
      el("td", { class: "num" }, promised ? g.periods_met + "/" + r.periods + " " + pct(g.share) : "-"), el("td", { class: "num" }, iv),
      el("td", { class: "num" }, promised ? pct(g.attainment) : "-"));
    if (d.currency != null) row.append(el("td", { class: "num" }, promised && g.cost ? Math.round(g.cost.mean).toLocaleString("en") : "-"));
    body.append(row);
  }
  t.append(body);
  const notJudged = d.not_judged ? el("p", { class: "note", id: "promise-not-judged" }, "Not judged: " + d.not_judged.join(", ") +
    ". A promise judges the share of a " + d.period + "'s tickets (or updates) within a target, clock by clock; a mean is not a share: slasim run reports them.") : null;
  box.append(el("p", { class: "facts", id: "promise-facts" }, "seed " + d.seed + " · " + count(d.replications, "replication", "replications") + " of " + count(d.periods_per_replication, "whole " + d.period, "whole " + d.period + "s") + " · at least " + pct(d.share).replace(".0%", "%") + " of " + d.period + "s with " + confidence + " confidence"), t, ...(notJudged ? [notJudged] : []),
    el("details", {}, el("summary", {}, "As slasim promise prints it, with every target of the ladder"), el("pre", { id: "promise-text" }, res.text)));
  return box;
}

// --- downloads --------------------------------------------------------------

async function download(kind) {
  const mode = state.mode;
  const extra = { kind };
  if (kind.startsWith("sweep")) extra.vary = [$("vary1").value.trim(), $("vary2").value.trim()].filter((v) => v);
  if (kind.startsWith("siz") && $("level").value.trim()) extra.level = $("level").value.trim();
  if (kind === "comparison.json") extra.pinned = settingsList(state.pinned || new Map());
  if (kind.startsWith("promise")) extra.promise = promiseAsk();
  // The status line is a streamed request's while one is under way: its
  // progress and Cancel button stay.
  const own = !state.controller;
  if (own) showStatus("preparing " + kind + "…", 0, 0);
  try {
    const resp = await postJSON("/api/download", request(extra));
    if (!resp.ok) {
      setProblems(mode + " download", (await resp.json()).error);
      return;
    }
    setProblems(mode + " download", null);
    const blob = await resp.blob();
    const name = (resp.headers.get("Content-Disposition") || "").match(/filename="([^"]+)"/);
    const a = el("a", { href: URL.createObjectURL(blob), download: name ? name[1] : kind });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  } catch (err) {
    setProblems(mode + " download", { message: "the desk did not answer: " + err.message });
  } finally {
    if (own && !state.controller) $("status").hidden = true;
  }
}

// --- the page's controls ----------------------------------------------------

function setView(view) {
  for (const b of document.querySelectorAll("#views button")) b.classList.toggle("on", b.dataset.view === view);
  $("form").hidden = view !== "form";
  $("yaml").hidden = view !== "yaml";
  if (view === "yaml") refreshText();
}

// refreshText shows the scenario's text with the form's settings written
// in, unless the text was edited while the server answered: what the user
// wrote is not replaced.
async function refreshText() {
  const before = $("yamltext").value;
  const resp = await postJSON("/api/open", request());
  const doc = await resp.json();
  if (!doc.error && $("yamltext").value === before) $("yamltext").value = doc.text;
}

function setMode(mode) {
  state.mode = mode;
  for (const b of document.querySelectorAll("#modes button")) b.classList.toggle("on", b.dataset.mode === mode);
  for (const m of document.querySelectorAll(".mode")) m.hidden = m.id !== "mode-" + mode;
  showProblems();
}

async function init() {
  const resp = await fetch("/api/examples");
  const doc = await resp.json();
  const select = $("example");
  for (const ex of doc.examples) select.append(el("option", { value: ex.name, title: ex.description }, ex.name));
  $("footer").prepend("slasim " + doc.version + " · ");
  // A scenario opened by the user: a new entry of the tab's history.
  const openNew = (source) => {
    open(source);
    remember(true);
  };
  select.addEventListener("change", () => openNew({ example: select.value }));
  $("upload").addEventListener("change", async () => {
    const file = $("upload").files[0];
    if (!file) return;
    if (file.size > 1 << 20) {
      setProblems("open", { message: file.name + " is larger than 1 MiB, the limit of a scenario file" });
      return;
    }
    openNew({ file: file.name, text: await file.text() });
  });
  $("reset").addEventListener("click", () => {
    open(state.source);
    remember(false);
  });
  $("run").addEventListener("click", () => ({ run, compare, sweep: runSweep, size: runSize, promise: runPromise })[state.mode]());
  $("cancel").addEventListener("click", cancel);
  for (const b of document.querySelectorAll("#views button")) b.addEventListener("click", () => setView(b.dataset.view));
  for (const b of document.querySelectorAll("#modes button")) {
    b.addEventListener("click", () => {
      setMode(b.dataset.mode);
      remember(false);
    });
  }
  for (const b of document.querySelectorAll("[data-download]")) b.addEventListener("click", () => download(b.dataset.download));
  $("useyaml").addEventListener("click", () => {
    setView("form");
    openNew({ file: (state.source.file || (state.source.example || "scenario") + ".yaml"), text: $("yamltext").value });
  });
  $("addbutton").addEventListener("click", () => {
    const path = $("addpath").value.trim();
    if (!path) return;
    state.settings.set(path, $("addvalue").value.trim());
    changed();
    if (!$("auto").checked) rerun();
  });
  $("pin").addEventListener("click", () => {
    pin(new Map(state.settings));
    remember(false);
  });
  $("comparerun").addEventListener("click", compare);
  $("sweeprun").addEventListener("click", runSweep);
  $("sizerun").addEventListener("click", runSize);
  $("promiserun").addEventListener("click", runPromise);
  $("opensized").addEventListener("click", () => {
    if (state.sized) openNew({ file: "sized.yaml", text: state.sized });
  });
  window.addEventListener("popstate", (e) => reopen(e.state || addressed()));
  reopen(history.state || addressed());
  remember(false);
}

init();
