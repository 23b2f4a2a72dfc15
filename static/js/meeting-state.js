// The meeting's state on every screen (templates/_meeting_state.html): the badge and the quorum
// recorded at the opening follow `meeting.state` snapshots (newer versions only), from the
// screen's live connection and from its join answers (a reconnect catches up).

import { pageData } from "./page.js";

const words = pageData("meeting-state-words");
const shown = {}; // meeting id → version shown

/** Show `state` ({meeting_id, version, status, opening_quorum_met}) wherever its badge is. */
export function showState(state) {
  if (!state || typeof state.version !== "number") return false;
  const id = String(state.meeting_id);
  const before = shown[id];
  const badges = document.querySelectorAll(`[data-testid="meeting-state"][data-meeting-id="${id}"]`);
  if (before === undefined && badges.length) shown[id] = Number(badges[0].dataset.version || -1);
  if (state.version < (shown[id] ?? -1)) return false;
  shown[id] = state.version;
  badges.forEach((badge) => {
    badge.dataset.status = state.status;
    badge.dataset.version = String(state.version);
    badge.textContent = (words.states || {})[state.status] || state.status;
  });
  document.querySelectorAll(`[data-testid="opening-quorum"][data-meeting-id="${id}"]`).forEach((node) => {
    const met = state.opening_quorum_met;
    node.hidden = met === null || met === undefined;
    node.dataset.met = node.hidden ? "" : String(met);
    node.textContent = met ? words.quorum_met : words.quorum_not_met;
  });
  document.dispatchEvent(new CustomEvent("meeting-state", { detail: state }));
  return true;
}

/** Follow the state over a live connection (static/js/live.js): events and join answers. */
export function followState(live) {
  live.on("meeting.state", showState);
  live.onJoin((answer) => {
    if (answer && answer.state) showState(answer.state);
    (answer && answer.meetings || []).forEach(showState);
  });
}
