/* The notice board follows the meetings' states live over /board: each meeting's badge changes
 * as it is opened, closed or its minutes published. A meeting newly posted is not on the page
 * yet: the board reloads to show it (its agenda and notice come with the page). */

import { connect } from "./live.js";
import { followState } from "./meeting-state.js";
import { followLive } from "./follow-live.js";

var shownIds = Array.from(document.querySelectorAll("[data-meeting-id]"), function (node) {
  return Number(node.dataset.meetingId);
}).filter(function (id, index, all) { return all.indexOf(id) === index; }).slice(0, 20);

var live = connect({ namespace: "/board", join: { meeting_ids: shownIds } });
followState(live);
followLive(live);  // the action list's reminders and follow-up steps
live.on("meeting.state", function (state) {
  if (state.status === "announced" && shownIds.indexOf(state.meeting_id) < 0) window.location.reload();
});
