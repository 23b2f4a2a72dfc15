// The roster upload (/clerk/roster): send the file with an upload progress bar, show what the
// server read (the first lines, every problem by line in Chinese and English, the spreadsheet
// traps), then import it all or nothing. XHR, not fetch: only XHR reports upload progress.

import { request } from "./http.js";
import { el } from "./dom.js";

const form = document.getElementById("roster-form");
const box = document.getElementById("roster-progress");
const bar = document.getElementById("roster-bar");
const stage = document.getElementById("roster-stage");
const result = document.getElementById("roster-result");
const t = JSON.parse(document.getElementById("roster-texts").textContent);

function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

function progress(label, value) {
  box.hidden = false;
  stage.textContent = label;
  if (value === null) bar.removeAttribute("value");
  else bar.value = value;
}

function bilingual(message) {
  return [el("span", { lang: "zh-CN", text: message.zh }), el("span", { lang: "en", text: message.en })];
}

// The server answers a stream of JSON lines: {"progress": {stage, done, expected}} while it
// reads and checks, then {"result": …}. The bar runs 0–50 % reading, 50–100 % checking.
function answered(text, resolve) {
  const lines = text.split("\n").filter((line) => line.trim());
  for (const line of lines) {
    const message = JSON.parse(line);
    if (message.result) return resolve(message.result);
  }
  const last = lines.length && JSON.parse(lines[lines.length - 1]).progress;
  if (last && last.expected) {
    const share = Math.min(last.done / last.expected, 1);
    const reading = last.stage === "reading";
    progress(reading ? t.reading : t.checking, Math.round((reading ? 0 : 50) + share * 50));
  }
  return undefined;
}

function upload(file) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    let finished = false; // Chromium may deliver an upload event after the answer: ignore it
    xhr.open("POST", form.dataset.check);
    xhr.setRequestHeader("X-CSRFToken", document.querySelector('meta[name="csrf-token"]').content);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && !finished) {
        progress(t.uploading, Math.round((event.loaded / event.total) * 100));
      }
    };
    xhr.upload.onload = () => {
      if (!finished) progress(t.reading, 0);
    };
    xhr.onprogress = () => {
      if (xhr.status === 200 && !finished) answered(xhr.responseText, () => {});
    };
    xhr.onload = () => {
      finished = true;
      if (xhr.status !== 200) {
        let message = t.failed;
        try { message = JSON.parse(xhr.responseText).error.message || message; } catch { /* not JSON */ }
        reject(new Error(message));
        return;
      }
      let found;
      answered(xhr.responseText, (result) => { found = result; });
      if (found) resolve(found);
      else reject(new Error(t.failed));
    };
    xhr.onerror = () => {
      finished = true;
      reject(new Error(t.failed));
    };
    const data = new FormData();
    data.append("file", file);
    xhr.send(data);
  });
}

function table(rows) {
  const head = el("tr", {}, t.columns.map((name) => el("th", { scope: "col", text: name })));
  const body = rows.map((row) =>
    el("tr", {}, [row.member_id, row.name, row.address, row.floor, row.area_m2, row.phone_tail, row.group]
      .map((cell) => el("td", { text: String(cell) }))),
  );
  return el("table", { className: "prep-table", "data-testid": "roster-preview" }, [
    el("caption", { text: t.preview }), el("thead", {}, [head]), el("tbody", {}, body),
  ]);
}

function show(check) {
  const parts = [];
  if (check.file_error) {
    parts.push(el("p", { className: "roster-summary bad", role: "alert", "data-testid": "roster-file-error" },
      bilingual(check.file_error)));
  } else if (check.ok) {
    parts.push(el("p", { className: "roster-summary ok", "data-testid": "roster-summary", text: fill(t.rows_ok, check) }));
  } else {
    parts.push(el("p", { className: "roster-summary bad", role: "alert", "data-testid": "roster-summary",
      text: fill(t.rows_bad, { count: check.errors.length, total: check.total }) }));
  }
  if (check.hints.length) {
    parts.push(el("h3", { text: t.traps }));
    parts.push(el("ul", { className: "roster-traps", "data-testid": "roster-traps" },
      check.hints.map((hint) => el("li", { dataset: { trap: hint.trap } }, bilingual(hint)))));
  }
  if (check.errors.length) {
    parts.push(el("h3", { text: t.problems }));
    parts.push(el("ol", { className: "roster-problems", "data-testid": "roster-problems", tabindex: "0",
      "aria-label": t.problems }, check.errors.map((error) => el("li", {}, bilingual(error)))));
  }
  if (check.preview.length) parts.push(table(check.preview));
  if (check.ok) {
    parts.push(el("button", { type: "button", "data-testid": "roster-commit", text: fill(t.commit, check),
      onclick: (event) => commit(check, event.target) }));
  }
  result.replaceChildren(...parts);
}

async function commit(check, button) {
  button.disabled = true;
  progress(t.importing, null);
  try {
    const done = await request(form.dataset.commit, {
      method: "POST", body: { upload_id: check.upload_id, filename: check.filename }, timeout: 120000,
    });
    result.replaceChildren(el("p", { className: "roster-summary ok", role: "status", "data-testid": "roster-imported",
      text: done.message }));
    document.querySelector("[data-testid=roster-count]").hidden = true;
  } catch (error) {
    result.append(el("p", { className: "roster-summary bad", role: "alert", text: error.message || t.failed }));
    button.disabled = false;
  } finally {
    box.hidden = true;
  }
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const file = document.getElementById("roster-file").files[0];
  if (!file) return;
  result.replaceChildren();
  progress(t.uploading, 0);
  try {
    show(await upload(file));
  } catch (error) {
    result.replaceChildren(el("p", { className: "roster-summary bad", role: "alert", text: error.message }));
  } finally {
    box.hidden = true;
  }
});
