/* The organisers' view of a voting period (templates/clerk_assembly.html) follows the period
 * live over /clerk (event "period", docs/events.md): each ballot of any channel, delivery,
 * review decision or objection recorded sends a newer snapshot, and the page fetches itself
 * once and swaps in its participation, not-voted (with the kept ballots) and results sections, so the
 * committee sees the count move without reloading (and without losing what the clerk is
 * typing in the office form or an answer, which are left alone). The server renders every
 * figure, so the page and its live updates never disagree. */
import { connect } from "./live.js";

const LIVE = ["live", "not-voted", "results"];
let fetching = null;
let again = false;

export async function refresh() {
  const response = await fetch(location.pathname, { headers: { Accept: "text/html" } });
  if (!response.ok) return;
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
  for (const id of LIVE) {
    const now = document.getElementById(id);
    const next = fresh.getElementById(id);
    if (!now || !next) continue;
    const open = [...now.querySelectorAll("details[open] summary")].map((s) => s.textContent);
    now.replaceWith(next);
    // Keep the buildings the clerk unfolded open (by their summary's building name).
    for (const summary of next.querySelectorAll("details summary")) {
      const building = summary.textContent.split(/[:：]/)[0];
      if (open.some((text) => text.split(/[:：]/)[0] === building)) summary.parentElement.open = true;
    }
  }
  const desk = document.querySelector('[data-testid="assembly-desk"]');
  const state = fresh.querySelector('[data-testid="assembly-desk"]');
  if (desk && state) desk.dataset.version = state.dataset.version;
}

/** One fetch at a time; snapshots arriving meanwhile make one more after it. */
function follow() {
  if (fetching) {
    again = true;
    return;
  }
  fetching = refresh()
    .catch(() => {})
    .finally(() => {
      fetching = null;
      if (again) {
        again = false;
        follow();
      }
    });
}

const desk = document.querySelector('[data-testid="assembly-desk"][data-period-id]');
if (desk && desk.dataset.live === "1") {
  connect({
    namespace: "/clerk",
    joinEvent: "period.join",
    join: { period_id: Number(desk.dataset.periodId) },
    version: Number(desk.dataset.version),
    snapshots: { period: follow },
    texts: JSON.parse(desk.dataset.texts || "{}"),
  });
}
