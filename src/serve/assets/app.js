// newsprov's page. It talks only to this server's JSON API (see docs/api.md) and puts every
// piece of article text into the page as text nodes, never as markup.
"use strict";

const LABELS = ["state_media", "wire", "aggregator"];
const TEXT_EXT = ["txt", "md", "html", "htm", "csv", "jsonl", "ndjson"];
// Files sent per request, and bytes: rows stream into the table request by request.
const FILES_PER_REQUEST = 8;
const BYTES_PER_REQUEST = 4 << 20;

const state = {
  token: null,
  model: null,
  rows: [], // {record, source: {articles:[...]} | {files:[...]}, seq}
  seq: 0,
  sort: { key: null, dir: 1 },
  queue: Promise.resolve(),
  lastOpener: null,
};

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

// ---- API -------------------------------------------------------------------------------

async function api(path, body, contentType) {
  const headers = {};
  if (state.token) headers["Authorization"] = "Bearer " + state.token;
  const init = { method: body === undefined ? "GET" : "POST", headers };
  if (body !== undefined) {
    headers["Content-Type"] = contentType || "application/json";
    init.body = contentType ? body : JSON.stringify(body);
  }
  const res = await fetch(path, init);
  let data = null;
  try {
    data = await res.json();
  } catch (e) {
    throw new Error("the server answered " + res.status + " without JSON");
  }
  if (!res.ok) throw new Error(data && data.error ? data.error : "HTTP " + res.status);
  return data;
}

function setStatus(id, text, isError) {
  const s = $(id);
  s.textContent = text;
  s.classList.toggle("error", !!isError);
}

// ---- records ---------------------------------------------------------------------------

function topProbability(r) {
  if (!r.probabilities) return -1;
  return Math.max(...LABELS.map((l) => r.probabilities[l]));
}

function labelOf(r) {
  if (r.error) return "error";
  return r.label || "error";
}

// The reads-like field: an outlet name, or an object/list naming outlets.
function readsLikeText(r) {
  const v = r.reads_like;
  if (v === undefined || v === null) return "";
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return v.map((x) => (typeof x === "string" ? x : describeOutlet(x))).join(", ");
  if (typeof v === "object") return describeOutlet(v);
  return String(v);
}

function describeOutlet(o) {
  if (!o || typeof o !== "object") return String(o);
  const name = o.outlet || o.name || o.id || o.label || "";
  const p = typeof o.probability === "number" ? o.probability : typeof o.score === "number" ? o.score : null;
  return name ? (p === null ? name : name + " (" + p.toFixed(2) + ")") : JSON.stringify(o);
}

function minConfidence() {
  const v = parseFloat($("min-confidence").value);
  return Number.isFinite(v) && v >= 0 && v <= 1 ? v : 0;
}

// ---- scoring -----------------------------------------------------------------------------

// Requests run one after another so rows arrive in input order, each batch as soon as it is done.
function enqueue(body, describe) {
  state.queue = state.queue.then(async () => {
    setStatus("status", "Scoring " + describe + "…");
    try {
      const data = await api("/api/score", Object.assign({ min_confidence: minConfidence() }, body));
      for (const record of data.records) addRow(record, body);
      setStatus("status", "Scored " + describe + ": " + data.records.length + " record(s). " + state.rows.length + " in the table.");
    } catch (e) {
      setStatus("status", "Could not score " + describe + ": " + e.message, true);
    }
  });
  return state.queue;
}

function addRow(record, body) {
  // What to send again to explain this row: the same article, or the same file with the row id.
  const source = body.articles
    ? { articles: body.articles.filter((a) => a.id === record.id).slice(0, 1) }
    : { files: body.files, id: record.id };
  state.rows.push({ record, source, seq: state.seq++ });
  render();
}

async function scorePasted(ev) {
  ev.preventDefault();
  const text = $("paste-text").value;
  if (!text.trim()) {
    setStatus("status", "Paste some article text first.", true);
    $("paste-text").focus();
    return;
  }
  const id = $("paste-id").value.trim() || "pasted-" + (state.rows.length + 1);
  await enqueue({ articles: [{ id, text }] }, "“" + id + "”");
}

async function scoreFiles(files) {
  const usable = files.filter((f) => TEXT_EXT.includes(ext(f.name)));
  const left = files.length - usable.length;
  if (!usable.length) {
    setStatus("status", "None of these files can be read (.txt, .md, .html, .csv, .jsonl).", true);
    return;
  }
  usable.sort((a, b) => pathOf(a).localeCompare(pathOf(b)));
  let batch = [], bytes = 0;
  const flush = () => {
    if (!batch.length) return;
    const b = batch;
    batch = [];
    bytes = 0;
    enqueue({ files: b }, b.length === 1 ? b[0].name : b.length + " files (" + b[0].name + " …)");
  };
  for (const f of usable) {
    const content = await f.text();
    if (batch.length >= FILES_PER_REQUEST || (bytes + content.length > BYTES_PER_REQUEST && batch.length)) flush();
    batch.push({ name: pathOf(f), content });
    bytes += content.length;
  }
  flush();
  await state.queue;
  if (left) setStatus("status", $("status").textContent + " " + left + " file(s) left out (not .txt, .md, .html, .csv or .jsonl).");
}

function ext(name) {
  const i = name.lastIndexOf(".");
  return i < 0 ? "" : name.slice(i + 1).toLowerCase();
}

function pathOf(f) {
  return f.relPath || f.webkitRelativePath || f.name;
}

// Files from a drop, folders walked.
async function droppedFiles(dt) {
  const entries = [];
  for (const item of dt.items || []) {
    const entry = item.webkitGetAsEntry ? item.webkitGetAsEntry() : null;
    if (entry) entries.push(entry);
  }
  if (!entries.length) return Array.from(dt.files || []);
  const out = [];
  async function walk(entry, prefix) {
    if (entry.isFile) {
      const f = await new Promise((ok, bad) => entry.file(ok, bad));
      f.relPath = prefix + f.name;
      out.push(f);
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      for (;;) {
        const batch = await new Promise((ok, bad) => reader.readEntries(ok, bad));
        if (!batch.length) break;
        for (const e of batch) await walk(e, prefix + entry.name + "/");
      }
    }
  }
  for (const e of entries) await walk(e, "");
  return out;
}

// ---- results table -------------------------------------------------------------------------

function visibleRows() {
  const want = $("filter-label").value;
  const needle = $("filter-text").value.trim().toLowerCase();
  let rows = state.rows.filter((row) => {
    const r = row.record;
    if (want && labelOf(r) !== want) return false;
    if (!needle) return true;
    const hay = [r.id, (r.sources || []).join(" "), readsLikeText(r), r.label || "", r.best_guess || ""].join(" ").toLowerCase();
    return hay.includes(needle);
  });
  const { key, dir } = state.sort;
  if (key) {
    const val = (row) => {
      const r = row.record;
      switch (key) {
        case "id": return r.id;
        case "label": return labelOf(r);
        case "confidence": return topProbability(r);
        case "reads_like": return readsLikeText(r);
        case "sources": return (r.sources || []).length;
      }
      return 0;
    };
    rows = rows.slice().sort((a, b) => {
      const x = val(a), y = val(b);
      const c = typeof x === "number" ? x - y : String(x).localeCompare(String(y));
      return c !== 0 ? c * dir : a.seq - b.seq;
    });
  }
  return rows;
}

function render() {
  const body = $("results-body");
  const rows = visibleRows();
  const frag = document.createDocumentFragment();
  for (const row of rows) frag.append(rowElement(row));
  body.replaceChildren(frag);
  const n = state.rows.length;
  $("results-count").textContent = n === 0
    ? "No articles yet."
    : rows.length === n ? n + " article(s)." : rows.length + " of " + n + " article(s) shown.";
  for (const id of ["download-csv", "download-jsonl", "clear-results"]) $(id).disabled = n === 0;
}

function probabilityBar(p) {
  const bar = el("div", { class: "bar", role: "img",
    "aria-label": LABELS.map((l) => l + " " + p[l].toFixed(2)).join(", ") });
  for (const l of LABELS) {
    const s = el("span", { class: l });
    s.style.width = (100 * p[l]).toFixed(1) + "%";
    bar.append(s);
  }
  return bar;
}

function probabilityText(p) {
  const line = el("div", { class: "probs", "aria-hidden": "true" });
  LABELS.forEach((l, i) => {
    if (i) line.append(" · ");
    line.append(shortLabel(l) + " ", el("b", { text: p[l].toFixed(2) }));
  });
  return line;
}

function shortLabel(l) {
  return { state_media: "state", wire: "wire", aggregator: "agg" }[l] || l;
}

function labelBadge(r) {
  const l = labelOf(r);
  const cell = el("td", {}, el("span", { class: "label " + l, text: l }));
  if (r.best_guess) cell.append(el("span", { class: "guess", text: "best guess: " + r.best_guess }));
  if (r.truncated) cell.append(el("span", { class: "guess", text: "text cut at --max-bytes" }));
  if (r.stories && r.stories.length) {
    cell.append(el("span", { class: "guess", text: r.stories.length + " stories: " + r.stories.map((s) => s.label).join(", ") }));
  }
  return cell;
}

function rowElement(row) {
  const r = row.record;
  const open = el("button", { type: "button", "aria-label": "Explain " + r.id }, r.id);
  open.addEventListener("click", () => openExplanation(row.source, r.id, open));
  const tr = el("tr", { "data-label": labelOf(r) },
    el("td", { class: "id" }, r.error ? el("span", { text: r.id }) : open),
    labelBadge(r));
  if (r.error) {
    tr.append(el("td", { colspan: 3, class: "error-text" }, r.error));
    return tr;
  }
  tr.append(el("td", { class: "bars" }, probabilityBar(r.probabilities), probabilityText(r.probabilities)));
  tr.append(el("td", { "data-col": "Reads like" }, readsLikeText(r) || el("span", { class: "muted", text: "—" })));
  const cites = el("td", { "data-col": "Cites" });
  for (const s of r.sources || []) cites.append(el("span", { class: "chip", text: s }));
  if (!(r.sources || []).length) cites.append(el("span", { class: "muted", text: "—" }));
  tr.append(cites);
  return tr;
}

function sortBy(key, button) {
  state.sort = state.sort.key === key ? { key, dir: -state.sort.dir } : { key, dir: 1 };
  for (const th of document.querySelectorAll("#results th")) th.setAttribute("aria-sort", "none");
  button.closest("th").setAttribute("aria-sort", state.sort.dir === 1 ? "ascending" : "descending");
  render();
}

// ---- downloads -----------------------------------------------------------------------------

function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function csvField(v) {
  const s = v === undefined || v === null ? "" : String(v);
  return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

function downloadCsv() {
  const withReads = state.rows.some((r) => r.record.reads_like !== undefined);
  const head = ["id", "label", "state_media", "wire", "aggregator", "framing_terms", "sources"];
  if (withReads) head.push("reads_like");
  head.push("stories", "truncated", "error");
  const lines = [head.join(",")];
  for (const { record: r } of visibleRows()) {
    const p = r.probabilities;
    const f = [r.id, r.label || "",
      p ? p.state_media.toFixed(4) : "", p ? p.wire.toFixed(4) : "", p ? p.aggregator.toFixed(4) : "",
      (r.framing_terms || []).map((t) => t.term + ":" + t.count).join("; "),
      (r.sources || []).join("; ")];
    if (withReads) f.push(readsLikeText(r));
    f.push((r.stories || []).map((s) => s.label + " " + s.probabilities[s.label].toFixed(2) + " " + s.title).join("; "));
    f.push(r.truncated ? "true" : "", r.error || "");
    lines.push(f.map(csvField).join(","));
  }
  download("newsprov-scores.csv", lines.join("\n") + "\n", "text/csv");
}

function downloadJsonl() {
  const text = visibleRows().map((row) => JSON.stringify(row.record)).join("\n") + "\n";
  download("newsprov-scores.jsonl", text, "application/x-ndjson");
}

// ---- explanation ---------------------------------------------------------------------------

async function openExplanation(source, id, opener) {
  state.lastOpener = opener || null;
  const panel = $("explain");
  const body = $("explain-body");
  panel.hidden = false;
  $("explain-heading").textContent = "Explanation: " + id;
  body.replaceChildren(el("p", { role: "status", text: "Explaining…" }));
  $("explain-heading").focus();
  panel.scrollIntoView({ block: "start" });
  try {
    const ex = await api("/api/explain", Object.assign({ top: 10 }, source));
    const article = { articles: [{ id: ex.id, text: ex.text }] };
    const src = await api("/api/sources", article);
    let trace = null;
    if (state.model && state.model.trace_index) trace = await api("/api/trace", article);
    body.replaceChildren(explanationView(ex, src.records[0], trace && trace.records[0]));
  } catch (e) {
    body.replaceChildren(el("p", { class: "error-text", role: "alert", text: "Could not explain " + id + ": " + e.message }));
  }
}

function closeExplanation() {
  $("explain").hidden = true;
  if (state.lastOpener && document.body.contains(state.lastOpener)) state.lastOpener.focus();
}

// Byte spans (UTF-8, from the server) to text pieces.
function byteSlicer(text) {
  const bytes = new TextEncoder().encode(text);
  const dec = new TextDecoder();
  return { len: bytes.length, slice: (a, b) => dec.decode(bytes.subarray(a, b)) };
}

// The strongest pushes toward each label, one table per label.
function contributionGrid(e, glossary) {
  const grid = el("div", { class: "two-col" });
  for (const l of LABELS) {
    const cs = e.toward[l] || [];
    const max = Math.max(1e-9, ...cs.map((c) => c.contribution));
    const t = el("table", { class: "contrib" },
      el("caption", {}, el("span", { class: "label " + l, text: l }), " bias " + e.bias[l].toFixed(3)),
      el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "Feature" }), el("th", { scope: "col", class: "num", text: "Push" }))));
    const tb = el("tbody");
    for (const c of cs) {
      const bar = el("div", { class: "cbar " + l, "aria-hidden": "true" });
      bar.style.width = (100 * c.contribution / max).toFixed(1) + "%";
      tb.append(el("tr", {},
        el("td", {}, glossary[c.feature] || c.feature, el("span", { class: "feature-raw", text: c.feature + " = " + c.value.toFixed(3) })),
        el("td", { class: "num" }, "+" + c.contribution.toFixed(3), bar)));
    }
    if (!cs.length) tb.append(el("tr", {}, el("td", { colspan: 2, class: "muted", text: "nothing pushed toward " + l })));
    t.append(tb);
    grid.append(t);
  }
  return grid;
}

function explanationView(ex, sources, trace) {
  const e = ex.explanation;
  const wrap = el("div", {});
  const p = e.probabilities;
  wrap.append(el("p", { class: "summary-line" }, "Label ", el("span", { class: "label " + e.label, text: e.label }),
    " — ", LABELS.map((l) => l + " " + p[l].toFixed(3)).join(", "),
    ex.truncated ? " (text cut at --max-bytes)" : ""));
  wrap.append(probabilityBar(p));

  // The article with framing terms marked in the colour of the label they push toward.
  wrap.append(el("h3", { text: "The article, framing terms marked" }));
  const legend = el("p", { class: "legend muted" });
  for (const l of LABELS) legend.append(el("span", {}, el("mark", { class: l, text: "term" }), " pushes toward " + l));
  wrap.append(legend);
  const art = el("div", { class: "article", tabindex: 0, "aria-label": "Article text" });
  const s = byteSlicer(ex.text);
  let at = 0;
  const terms = e.terms.slice().sort((a, b) => a.start - b.start);
  for (const t of terms) {
    if (t.start < at || t.end > s.len) continue;
    art.append(s.slice(at, t.start));
    art.append(el("mark", { class: t.class, title: t.class + " · " + t.category }, s.slice(t.start, t.end)));
    at = t.end;
  }
  art.append(s.slice(at, s.len));
  wrap.append(art);
  wrap.append(el("p", { class: "muted", text: terms.length + " framing term(s) found." }));

  // Contributions per label; on a page of several stories, per story.
  if (!(e.stories && e.stories.length)) {
    wrap.append(el("h3", { text: "What pushed toward each label" }));
    wrap.append(contributionGrid(e, ex.glossary));
  } else {
    wrap.append(el("h3", { text: "A page of " + e.stories.length + " stories" }));
    wrap.append(el("p", { class: "muted", text: "Each story is judged by its body (headline and credit lines aside); the page's probabilities are the mean of theirs." }));
    e.stories.forEach((st, i) => {
      const x = st.explanation;
      wrap.append(el("h4", {}, "Story " + (i + 1) + ": " + st.title + " — ",
        el("span", { class: "label " + x.label, text: x.label }),
        " " + LABELS.map((l) => l + " " + x.probabilities[l].toFixed(3)).join(", ")));
      if (st.credits.length) wrap.append(el("p", { class: "muted", text: "Credit lines: " + st.credits.join(" / ") }));
      wrap.append(contributionGrid(x, ex.glossary));
    });
  }

  // Sources with their spans.
  wrap.append(el("h3", { text: "Whom the article cites" }));
  const atts = (sources && sources.attributions) || [];
  if (!atts.length) wrap.append(el("p", { class: "muted", text: "No attributions found." }));
  else {
    const src = byteSlicer(sources && ex.text);
    const t = el("table", {}, el("thead", {}, el("tr", {},
      ...["Source", "Kind", "Cue", "Where (bytes)", "Passage"].map((h) => el("th", { scope: "col", text: h })))));
    const tb = el("tbody");
    for (const a of atts) {
      tb.append(el("tr", {},
        el("td", {}, a.name + (a.outlet_type ? " [" + a.outlet_type + "]" : "")),
        el("td", { text: a.kind }),
        el("td", { text: a.cue }),
        el("td", { class: "num", text: a.start + "–" + a.end }),
        el("td", {}, el("q", {}, src.slice(a.start, a.end)))));
    }
    t.append(tb);
    wrap.append(el("div", { class: "table-wrap" }, t));
  }

  // Trace matches, when the server has an index.
  if (trace) {
    wrap.append(el("h3", { text: "Trace: which reference this was rewritten from" }));
    const ms = trace.matches || [];
    if (!ms.length) {
      const c = trace.closest;
      wrap.append(el("p", { class: "muted" }, trace.message || "no source found",
        c ? " (closest: " + c.id + ", score " + c.score.toFixed(3) + ")" : ""));
    } else {
      const ul = el("ul");
      for (const m of ms) {
        const li = el("li", {}, el("strong", { text: m.id }), " — score " + m.score.toFixed(3) +
          ", containment " + m.containment.toFixed(3) + ", similarity " + m.similarity.toFixed(3));
        if (m.also && m.also.length) li.append(" (also " + m.also.join(", ") + ")");
        for (const ps of m.passages || []) li.append(el("blockquote", {}, ps));
        ul.append(li);
      }
      wrap.append(ul);
    }
  }
  return wrap;
}

// ---- evaluation ----------------------------------------------------------------------------

async function evaluateFile(file) {
  setStatus("eval-status", "Evaluating " + file.name + "…");
  $("eval-body").replaceChildren();
  try {
    const data = await api("/api/evaluate?name=" + encodeURIComponent(file.name), file, "text/csv");
    $("eval-body").replaceChildren(evaluationView(data));
    setStatus("eval-status", "Evaluated " + data.n + " rows of " + data.name + ": accuracy " +
      data.report.accuracy.toFixed(3) + ", macro-F1 " + data.report.macro_f1.toFixed(3) + ".");
  } catch (e) {
    setStatus("eval-status", "Could not evaluate " + file.name + ": " + e.message, true);
  }
}

function evaluationView(d) {
  const wrap = el("div", {});
  wrap.append(el("h3", { text: "Confusion matrix (rows: true label, columns: predicted)" }));
  const heat = el("table", { class: "heatmap", id: "heatmap" });
  heat.append(el("caption", { text: "Each cell: count and share of its true label's rows. Darker is more." }));
  heat.append(el("thead", {}, el("tr", {}, el("td"), ...d.labels.map((l) => el("th", { scope: "col", text: "predicted " + l })))));
  const tb = el("tbody");
  d.labels.forEach((truth, i) => {
    const total = d.confusion[i].reduce((a, b) => a + b, 0) || 1;
    const tr = el("tr", {}, el("th", { scope: "row", text: "true " + truth }));
    d.labels.forEach((pred, j) => {
      const n = d.confusion[i][j];
      const share = n / total;
      const cell = el("td", { class: "cell" + (share > 0.55 ? " dark" : ""),
        "aria-label": n + " " + truth + " rows predicted " + pred + " (" + (100 * share).toFixed(1) + "%)" },
        String(n), el("small", { text: (100 * share).toFixed(1) + "%" }));
      const rgb = i === j ? "31,119,180" : "214,39,40";
      cell.style.backgroundColor = "rgba(" + rgb + "," + (0.06 + 0.9 * share).toFixed(3) + ")";
      tr.append(cell);
    });
    tb.append(tr);
  });
  heat.append(tb);
  wrap.append(el("div", { class: "table-wrap" }, heat));

  // A label absent from the data has no recall (and no precision when never predicted).
  const orNa = (v) => (v == null ? "n/a" : v.toFixed(3));
  wrap.append(el("h3", { text: "Per class" }));
  const pc = el("table", {}, el("thead", {}, el("tr", {},
    ...["Label", "Precision", "Recall", "F1", "Support"].map((h, i) => el("th", { scope: "col", class: i ? "num" : null, text: h })))));
  const pb = el("tbody");
  for (const l of d.labels) {
    const c = d.report.per_class[l];
    if (!c) continue;
    pb.append(el("tr", {}, el("th", { scope: "row" }, el("span", { class: "label " + l, text: l })),
      el("td", { class: "num", text: orNa(c.precision) }), el("td", { class: "num", text: orNa(c.recall) }),
      el("td", { class: "num", text: orNa(c.f1) }), el("td", { class: "num", text: String(c.support) })));
  }
  pb.append(el("tr", {}, el("th", { scope: "row", text: "all" }), el("td", { class: "num", text: "" }),
    el("td", { class: "num", text: "accuracy " + d.report.accuracy.toFixed(3) }),
    el("td", { class: "num", text: "macro " + d.report.macro_f1.toFixed(3) }), el("td", { class: "num", text: String(d.n) })));
  pc.append(pb);
  wrap.append(el("div", { class: "table-wrap" }, pc));
  if (d.skipped_count) wrap.append(el("p", { class: "muted", text: d.skipped_count + " row(s) skipped: " +
    d.skipped.slice(0, 5).map((s) => "line " + s.line + ": " + s.reason).join("; ") }));

  wrap.append(el("h3", { text: "Misclassified rows (" + d.misclassified_count + ")" }));
  if (d.misclassified_count > d.misclassified.length)
    wrap.append(el("p", { class: "muted", text: "The first " + d.misclassified.length + " are listed." }));
  if (!d.misclassified.length) wrap.append(el("p", { class: "muted", text: "None." }));
  else {
    const t = el("table", { id: "misclassified" }, el("thead", {}, el("tr", {},
      ...["Row", "True", "Predicted", "Probabilities"].map((h) => el("th", { scope: "col", text: h })))));
    const b = el("tbody");
    for (const m of d.misclassified) {
      const btn = el("button", { type: "button", "aria-label": "Explain " + m.id }, m.id);
      btn.addEventListener("click", () => openExplanation({ articles: [{ id: m.id, text: m.text }] }, m.id, btn));
      b.append(el("tr", {}, el("td", { class: "id" }, btn),
        el("td", {}, el("span", { class: "label " + m.label, text: m.label })),
        el("td", {}, el("span", { class: "label " + m.predicted, text: m.predicted })),
        el("td", { class: "bars" }, probabilityBar(m.probabilities), probabilityText(m.probabilities))));
    }
    t.append(b);
    wrap.append(el("div", { class: "table-wrap" }, t));
  }
  return wrap;
}

// ---- start -----------------------------------------------------------------------------------

async function loadModel() {
  try {
    const m = await api("/api/model");
    state.model = m;
    const dev = m.summary && m.summary.dev;
    $("model-info").textContent = "Model: " + m.source + " (" + m.features + " features" +
      (dev ? ", dev macro-F1 " + dev.macro_f1.toFixed(3) : "") + ")" +
      (m.trace_index ? "; trace index of " + m.trace_index.references + " references" : "") + ".";
  } catch (e) {
    $("model-info").textContent = "Could not reach the model: " + e.message;
    $("model-info").classList.add("error-text");
  }
}

function start() {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (m) state.token = decodeURIComponent(m[1]);
  $("paste-form").addEventListener("submit", scorePasted);
  $("file-input").addEventListener("change", (e) => { scoreFiles(Array.from(e.target.files)); e.target.value = ""; });
  $("folder-input").addEventListener("change", (e) => { scoreFiles(Array.from(e.target.files)); e.target.value = ""; });
  const zone = $("drop-zone");
  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", async (e) => {
    e.preventDefault();
    zone.classList.remove("over");
    scoreFiles(await droppedFiles(e.dataTransfer));
  });
  zone.addEventListener("click", () => $("file-input").click());
  zone.addEventListener("keydown", (e) => {
    if (e.key === "Enter" || e.key === " ") { e.preventDefault(); $("file-input").click(); }
  });
  $("filter-label").addEventListener("change", render);
  $("filter-text").addEventListener("input", render);
  for (const b of document.querySelectorAll("th button[data-sort]")) b.addEventListener("click", () => sortBy(b.dataset.sort, b));
  $("download-csv").addEventListener("click", downloadCsv);
  $("download-jsonl").addEventListener("click", downloadJsonl);
  $("clear-results").addEventListener("click", () => { state.rows = []; render(); setStatus("status", "Cleared."); });
  $("explain-close").addEventListener("click", closeExplanation);
  document.addEventListener("keydown", (e) => { if (e.key === "Escape" && !$("explain").hidden) closeExplanation(); });
  $("eval-input").addEventListener("change", (e) => { if (e.target.files[0]) evaluateFile(e.target.files[0]); e.target.value = ""; });
  loadModel();
  render();
}

document.addEventListener("DOMContentLoaded", start);
