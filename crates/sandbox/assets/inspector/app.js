// billsync sandbox inspector: plain JavaScript, no build step, no dependencies.
// It reads the JSON endpoints under /_sandbox/ (documented in the billsync-sandbox crate docs)
// and keeps its state in the URL hash: #requests, #request=ID, #records/PROVIDER/KIND, #controls.
"use strict";

const KINDS = { hyfin: ["customer", "contact", "payment"], rebilly: ["customer", "transaction"], payabli: ["customer"] };
const PAGE = 50;
const $ = (id) => document.getElementById(id);

// Builds an element; children are nodes or text (never parsed as HTML).
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

async function api(path, options) {
  const resp = await fetch(path, options);
  const body = await resp.json().catch(() => null);
  if (!resp.ok) throw new Error((body && body.error) || `${resp.status} ${resp.statusText}`);
  return body;
}

function say(text) { $("status").textContent = text; }

function pretty(text) {
  if (!text) return "(empty)";
  try { return JSON.stringify(JSON.parse(text), null, 2); } catch (_) { return text; }
}

function show(value) { return value === null || value === undefined ? "—" : typeof value === "string" ? value : JSON.stringify(value); }

function time(at) { return at ? at.replace("T", " ").replace("Z", "") : ""; }

// The time of day of an RFC 3339 time (the date is in the cell's title).
function clock(at) { return at ? at.slice(11, 23) : ""; }

function latency(ms) { return ms === 0 ? "<1 ms" : `${ms} ms`; }

function statusClass(status) { return status >= 500 ? "s5" : status >= 400 ? "s4" : status >= 300 ? "s3" : "s2"; }

// ---- state ---------------------------------------------------------------------------------

const state = {
  view: "requests",
  requestId: null,
  cursors: [],          // "before" cursors of the pages above the current one
  before: null,         // the current page's cursor (null: newest)
  latest: -1,
  total: -1,
  provider: "hyfin",
  kind: "customer",
  offset: 0,
  recordsSig: "",
  live: true,
  busy: false,
  opened: null,         // the request whose detail was open before this navigation
};

function filters() {
  const q = new URLSearchParams();
  for (const [name, id] of [["provider", "f-provider"], ["status", "f-status"], ["external_id", "f-external"]]) {
    const v = $(id).value.trim();
    if (v) q.set(name, v);
  }
  return q;
}

// ---- requests ------------------------------------------------------------------------------

async function loadRequests(force) {
  const q = filters();
  q.set("limit", PAGE);
  if (state.before) q.set("before", state.before);
  const page = await api(`/_sandbox/requests?${q}`);
  if (!force && page.latest === state.latest && page.total === state.total && !state.before) return;
  state.latest = page.latest;
  state.total = page.total;
  const body = $("requests").tBodies[0];
  const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.id : null;
  body.replaceChildren(...page.items.map(requestRow));
  if (focused) { const again = body.querySelector(`a[data-id="${focused}"]`); if (again) again.focus(); }
  $("req-empty").hidden = page.items.length > 0 || page.kept > 0;
  $("req-summary").textContent =
    `${page.total} matching of ${page.kept} kept (ring of ${page.capacity}` +
    (page.evicted ? `, ${page.evicted} older dropped` : "") + ")";
  $("older").disabled = page.next_before === null;
  $("older").dataset.next = page.next_before === null ? "" : page.next_before;
  $("newest").disabled = !state.before;
}

function requestRow(r) {
  const selected = String(r.id) === String(state.requestId);
  return h("tr", { class: selected ? "selected" : null, "data-id": r.id },
    h("td", { class: "mono nowrap", title: time(r.at) }, clock(r.at)),
    h("td", {}, r.provider),
    h("td", { class: "mono" }, r.method),
    h("td", { class: "mono path" }, h("a", { href: `#request=${r.id}`, "data-id": r.id, "aria-current": selected ? "true" : null }, r.path)),
    h("td", { class: `mono ${statusClass(r.status)}` }, r.error ? `${r.status} ✕` : r.status),
    h("td", { class: "num" }, latency(r.latency_ms)),
    h("td", { class: r.fault ? "fault" : "muted" }, r.fault || "—"));
}

function headerTable(rows) {
  return h("table", { class: "kv" }, h("tbody", {}, rows.map(([k, v]) => h("tr", {}, h("th", { scope: "row" }, k), h("td", { class: "mono" }, v)))));
}

function bodyBlock(title, text, bytes, truncated) {
  const note = truncated ? ` (first ${new Blob([text]).size} of ${bytes} bytes)` : ` (${bytes} bytes)`;
  return [h("h4", {}, title, h("span", { class: "muted" }, note)), h("pre", { tabindex: "0" }, pretty(text))];
}

async function loadDetail() {
  const aside = $("detail");
  if (state.requestId === null) { aside.hidden = true; return; }
  aside.hidden = false;
  let d;
  try {
    d = await api(`/_sandbox/requests/${encodeURIComponent(state.requestId)}`);
  } catch (e) {
    $("h-detail").textContent = `Request ${state.requestId}`;
    $("detail-body").replaceChildren(h("p", {}, `Not available: ${e.message}`));
    return;
  }
  $("h-detail").textContent = `Request ${d.id}: ${d.method} ${d.provider}`;
  $("detail-body").replaceChildren(
    headerTable([
      ["Time", time(d.at)], ["Provider", d.provider], ["Method", d.method], ["Path", d.path],
      ["Status", String(d.status)], ["Latency", latency(d.latency_ms)], ["Fault", d.fault || "none"],
      ["On the wire", d.error || "answer sent whole"],
    ]),
    h("h4", {}, "Request headers"), headerTable(d.request_headers),
    ...bodyBlock("Request body", d.request_body, d.request_bytes, d.request_truncated),
    h("h4", {}, "Response headers"), headerTable(d.response_headers),
    ...bodyBlock("Response body", d.response_body, d.response_bytes, d.response_truncated));
  for (const tr of $("requests").tBodies[0].rows) tr.classList.toggle("selected", tr.dataset.id === String(d.id));
}

// ---- records -------------------------------------------------------------------------------

function renderKinds() {
  const links = [];
  for (const [p, kinds] of Object.entries(KINDS)) {
    for (const k of kinds) {
      const current = p === state.provider && k === state.kind;
      links.push(h("a", { href: `#records/${p}/${k}`, "aria-current": current ? "page" : null, class: current ? "current" : null }, `${p} ${k}`));
    }
  }
  $("kinds").replaceChildren(...links);
}

function changeTable(changes) {
  if (!changes.length) return h("p", { class: "muted" }, "No field changed.");
  return h("table", { class: "changes" },
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Field"), h("th", { scope: "col" }, "Change"), h("th", { scope: "col" }, "Before"), h("th", { scope: "col" }, "After"))),
    h("tbody", {}, changes.map((c) => h("tr", { class: c.change },
      h("td", { class: "mono" }, c.path), h("td", {}, c.change),
      h("td", { class: "mono before" }, show(c.before)), h("td", { class: "mono after" }, show(c.after))))));
}

function versionBlock(v) {
  const by = v.request_id ? h("a", { href: `#request=${v.request_id}` }, `request ${v.request_id}`) : "an unknown request";
  return h("li", { class: "version" },
    h("p", {}, h("strong", {}, `v${v.version} ${v.action}`), ` at ${time(v.at)} by `, by),
    v.version === 1 ? null : changeTable(v.changes),
    h("details", {}, h("summary", {}, "Stored record"), h("pre", { tabindex: "0" }, JSON.stringify(v.record, null, 2))));
}

async function loadRecords(force) {
  const page = await api(`/_sandbox/records/${state.provider}/${state.kind}/history?offset=${state.offset}&limit=${PAGE}`);
  const sig = JSON.stringify(page.items.map((r) => [r.key, r.versions.length, r.versions[r.versions.length - 1].version])) + page.total + page.over_limit;
  if (!force && sig === state.recordsSig) return;
  state.recordsSig = sig;
  const open = new Set([...document.querySelectorAll("#records details.record[open]")].map((d) => d.dataset.key));
  $("records").replaceChildren(...page.items.map((r) => {
    const last = r.versions[r.versions.length - 1];
    return h("details", { class: "record", "data-key": r.key, open: open.has(r.key) },
      h("summary", {}, h("span", { class: "mono" }, r.key), ` — ${r.versions.length === 1 ? "1 version" : `${last.version} versions`}, last ${last.action} ${time(last.at)}`),
      h("ol", { class: "versions" }, r.versions.map(versionBlock)));
  }));
  const end = Math.min(state.offset + page.items.length, page.total);
  if (page.over_limit) {
    $("rec-summary").textContent = `${state.provider} ${state.kind}: ${page.total} records, more than ${page.history_limit}, so no histories are kept for this kind (GET /_sandbox/records/${state.provider}/${state.kind} lists them).`;
    $("rec-prev").disabled = true;
    $("rec-next").disabled = true;
    return;
  }
  $("rec-summary").textContent = page.total ? `${state.provider} ${state.kind}: records ${state.offset + 1}–${end} of ${page.total}, most recently changed first` : `No ${state.provider} ${state.kind} records.`;
  $("rec-prev").disabled = state.offset === 0;
  $("rec-next").disabled = end >= page.total;
}

// ---- controls ------------------------------------------------------------------------------

async function loadStats() {
  const stats = await api("/_sandbox/stats");
  const providers = Object.keys(stats);
  const fields = Object.keys(stats[providers[0]] || {});
  $("stats").tHead.replaceChildren(h("tr", {}, h("th", { scope: "col" }, ""), providers.map((p) => h("th", { scope: "col" }, p))));
  $("stats").tBodies[0].replaceChildren(...fields.map((f) => h("tr", {}, h("th", { scope: "row" }, f.replace(/_/g, " ")), providers.map((p) => h("td", { class: "num" }, stats[p][f])))));
}

async function loadFaults() {
  const faults = await api("/_sandbox/faults");
  for (const input of $("faults").querySelectorAll("input")) {
    const v = faults[input.name];
    input.value = v === null || v === undefined ? "" : v;
  }
}

async function applyFaults(event) {
  event.preventDefault();
  const body = {};
  for (const input of $("faults").querySelectorAll("input")) {
    if (input.value === "") { if (input.name === "slow_body_ms") body[input.name] = null; continue; }
    body[input.name] = Number(input.value);
  }
  try {
    await api("/_sandbox/faults", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    await loadFaults();
    say("Faults applied.");
  } catch (e) { say(`Faults not applied: ${e.message}`); }
}

// ---- navigation ----------------------------------------------------------------------------

function route() {
  const hash = decodeURIComponent(location.hash.slice(1));
  let m;
  state.requestId = null;
  if ((m = /^request=(\d+)$/.exec(hash))) { state.view = "requests"; state.requestId = m[1]; }
  else if ((m = /^records\/(\w+)\/(\w+)$/.exec(hash)) && KINDS[m[1]] && KINDS[m[1]].includes(m[2])) {
    if (state.provider !== m[1] || state.kind !== m[2]) { state.offset = 0; state.recordsSig = ""; }
    state.view = "records"; state.provider = m[1]; state.kind = m[2];
  } else if (hash === "controls") state.view = "controls";
  else state.view = "requests";
  for (const v of ["requests", "records", "controls"]) {
    $(`view-${v}`).hidden = v !== state.view;
    $(`nav-${v}`).toggleAttribute("aria-current", v === state.view);
  }
  $("nav-records").href = `#records/${state.provider}/${state.kind}`;
  const closed = state.requestId === null ? state.opened : null;
  state.opened = state.requestId;
  refresh(true).then(() => {
    if (state.requestId !== null) $("h-detail").focus();
    else if (closed !== null && closed !== undefined) {
      // Back on the row that was open, for keyboard users.
      const row = $("requests").querySelector(`a[data-id="${closed}"]`);
      if (row) row.focus();
    }
  });
}

async function refresh(force) {
  // One refresh at a time: a poll gives way, a forced one (navigation) waits its turn.
  if (state.busy && !force) return;
  while (state.busy) await new Promise((resolve) => setTimeout(resolve, 25));
  state.busy = true;
  try {
    if (state.view === "requests") {
      await loadRequests(force);
      if (force) await loadDetail();
    } else if (state.view === "records") {
      if (force) renderKinds();
      await loadRecords(force);
    } else {
      await loadStats();
      if (force) await loadFaults();
    }
    if (!state.live) say("Paused.");
    else say(`Live — updated ${new Date().toLocaleTimeString()}`);
  } catch (e) {
    say(`Cannot reach the sandbox: ${e.message}`);
  } finally { state.busy = false; }
}

function moveRow(step) {
  const links = [...$("requests").querySelectorAll("tbody a")];
  if (!links.length) return;
  const i = links.indexOf(document.activeElement);
  const next = i < 0 ? 0 : Math.max(0, Math.min(links.length - 1, i + step));
  links[next].focus();
}

function onKey(e) {
  const typing = /^(INPUT|SELECT|TEXTAREA)$/.test(e.target.tagName);
  if (e.key === "Escape") {
    if (typing) { e.target.blur(); return; }
    if (state.requestId !== null) { location.hash = "#requests"; }
    return;
  }
  if (typing || e.ctrlKey || e.metaKey || e.altKey || state.view !== "requests") return;
  if (e.key === "/") { e.preventDefault(); $("f-external").focus(); }
  else if (e.key === "j") moveRow(1);
  else if (e.key === "k") moveRow(-1);
}

function start() {
  window.addEventListener("hashchange", route);
  document.addEventListener("keydown", onKey);
  $("filters").addEventListener("submit", (e) => { e.preventDefault(); state.before = null; state.cursors = []; refresh(true); });
  $("f-provider").addEventListener("change", () => { state.before = null; state.cursors = []; refresh(true); });
  $("f-clear").addEventListener("click", () => { $("filters").reset(); state.before = null; state.cursors = []; refresh(true); });
  $("older").addEventListener("click", () => { state.cursors.push(state.before); state.before = $("older").dataset.next; refresh(true); });
  $("newest").addEventListener("click", () => { state.before = null; state.cursors = []; refresh(true); });
  $("rec-prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - PAGE); refresh(true); });
  $("rec-next").addEventListener("click", () => { state.offset += PAGE; refresh(true); });
  $("faults").addEventListener("submit", applyFaults);
  $("faults-none").addEventListener("click", async () => {
    for (const input of $("faults").querySelectorAll("input")) input.value = input.name === "slow_body_ms" ? "" : 0;
    await applyFaults(new Event("submit"));
  });
  $("reset").addEventListener("click", async () => {
    if (!window.confirm("Reset the sandbox: forget every record and counter?")) return;
    try { await api("/_sandbox/reset", { method: "POST" }); say("Sandbox reset."); refresh(true); } catch (e) { say(`Reset failed: ${e.message}`); }
  });
  $("clear-log").addEventListener("click", async () => {
    try { await api("/_sandbox/requests", { method: "DELETE" }); say("Request log cleared."); } catch (e) { say(`Not cleared: ${e.message}`); }
  });
  $("live").addEventListener("click", () => {
    state.live = !state.live;
    $("live").setAttribute("aria-pressed", String(state.live));
    $("live").textContent = state.live ? "Live" : "Paused";
    say(state.live ? "Live." : "Paused.");
  });
  route();
  // Poll while the tab is visible and live; only the newest page of
  // requests is refreshed, so an older page stays put while you read it.
  let tick = 0;
  setInterval(() => {
    tick += 1;
    if (!state.live || document.hidden) return;
    if (state.view === "requests" && state.before) return;
    // Records and stats cost more to read and change less often: every other second.
    if (state.view !== "requests" && tick % 2) return;
    refresh(false);
  }, 1000);
}

start();
