// The clerk desk's follow-up button: how many action items are near their deadline and how many
// are overdue, brought up to date whenever a desk changes the action list ("follow.changed").
import { live } from "./clerk.js";

const link = document.querySelector('[data-testid="follow-link"]');

function show(field, count) {
  const part = link.querySelector(`[data-field="${field}"]`);
  part.dataset.count = String(count);
  part.textContent = part.dataset.words.replace("{num}", String(count));
  part.hidden = count === 0;
}

function update() {
  fetch(link.dataset.urlSummary, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
    .then((counts) => {
      show("follow-due", counts.due);
      show("follow-overdue", counts.overdue);
      document.documentElement.dataset.followRefreshed = String(Date.now());
    })
    .catch(() => {});
}

if (link) live.on("follow.changed", update);
