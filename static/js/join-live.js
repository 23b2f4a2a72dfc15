/* The phone landing page (/join) follows its meeting over /board: the state badge changes as
 * the meeting is opened or closed, without a reload. A page showing no meeting, or another one,
 * reloads when a meeting is posted or opened: the QR hangs on the wall all year, and a phone
 * left on this page should show the meeting of the day when it begins. */

import { connect } from "./live.js";
import { followState } from "./meeting-state.js";

var badge = document.querySelector('[data-testid="join-meeting"] [data-testid="meeting-state"]');
var shownId = badge ? Number(badge.dataset.meetingId) : null;

var live = connect({ namespace: "/board", join: { meeting_ids: shownId === null ? [] : [shownId] } });
followState(live);
live.on("meeting.state", function (state) {
  if (state.meeting_id === shownId) return;
  if (state.status === "announced" || state.status === "open") window.location.reload();
});
