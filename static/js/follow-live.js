// Follow-up lists kept live: when a desk records an action, a status, an escalation step or a
// survey change, the server says "follow.changed" to the clerk desks and the notice boards
// (over /board, which anyone may follow: the event carries only an id). Each element of this
// page marked data-follow-live (with an id) is fetched again and swapped in place; a form being
// typed in is left alone until it is sent.

import { connect } from "./live.js";

// A form of this page on its way: the page is about to be replaced by the answer, and a fetch
// now could bring the session cookie back as it was before the answer's message was shown.
let leaving = false;
document.addEventListener("submit", () => { leaving = true; });

export function refreshFollow() {
  if (leaving) return Promise.resolve();
  const parts = Array.from(document.querySelectorAll("[data-follow-live][id]"));
  if (!parts.length) return Promise.resolve();
  const address = new URL(window.location.href);
  address.searchParams.set("partial", "1");  // the page's messages stay for the page itself
  return fetch(address, { credentials: "same-origin", headers: { Accept: "text/html" } })
    .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
    .then((html) => {
      const fresh = new DOMParser().parseFromString(html, "text/html");
      for (const part of parts) {
        const active = document.activeElement;
        if (active && part.contains(active) && active.matches("input, textarea, select")) continue;
        const next = fresh.getElementById(part.id);
        if (next) part.replaceWith(document.importNode(next, true));
      }
      document.documentElement.dataset.followRefreshed = String(Date.now());
    })
    .catch(() => {});  // the next change (or a reload) brings it up to date
}

export function followLive(live) {
  live.on("follow.changed", refreshFollow);
  return live;
}

/** A page with no live connection of its own (the follow-up and survey screens). */
export function followPage() {
  return followLive(connect({ namespace: "/board", join: { meeting_ids: [] } }));
}
