// The paper ballots' camera mode (templates/clerk_paper_camera.html): follows the box's camera
// over /paper (live.js: join, versions, the reconnecting banner) and shows what it sees, the
// last frame small, the last page and the running tally. Starting and stopping are the page's
// forms; every word comes from page-data, in the page's language.
import { connect } from "./live.js";

const data = JSON.parse(document.getElementById("page-data").textContent);
const t = data.texts;
const root = document.querySelector('[data-testid="camera"]');
const byId = (id) => document.querySelector(`[data-testid="${id}"]`);

function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));
}

function lastWords(last) {
  if (!last) return t.none;
  const values = { address: last.address, serial: last.serial || "", read: last.read, review: last.review };
  if (last.result === "counted" || last.result === "review") {
    const words = fill(t.read, values);
    const again = last.refused_matters.length
      ? " " + fill(t.not_again, { matters: last.refused_matters.join("、") })
      : "";
    return words + again;
  }
  return fill(t.refused, { ...values, result: data.results[last.result] || last.result });
}

function render(view) {
  root.dataset.status = view.status;
  root.dataset.running = String(view.running);
  byId("camera-status").textContent = data.status[view.status] || view.status;
  byId("camera-start-form").hidden = view.running;
  byId("camera-stop-form").hidden = !view.running;
  const preview = byId("camera-preview");
  if (view.preview) {
    preview.src = `${data.preview_url}?v=${view.preview}`;
    preview.hidden = false;
  }
  const last = byId("camera-last");
  last.dataset.result = view.last ? view.last.result : "";
  last.textContent = lastWords(view.last);
  byId("tally-pages").textContent = view.tally.pages;
  byId("tally-counted").textContent = view.tally.counted;
  byId("tally-marks").textContent = view.tally.marks_read;
  byId("tally-review").textContent = view.tally.sent_to_review;
  byId("tally-refused").textContent = view.tally.refused;
}

export const live = connect({
  namespace: "/paper",
  join: { period_id: data.period_id },
  version: data.version - 1,
  snapshots: { camera: render },
  texts: t,
});
