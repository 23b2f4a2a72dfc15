// The kiosk's other resident flows (rating, topics) hear what its sign-in screens hear: the
// moderator's voice settings as they change and the announcements ("voice.settings" and "say" on
// the /kiosk namespace, as static/kiosk/kiosk.js follows them), with the large "reconnecting"
// card while the box is out of reach. Needs static/vendor/socket.io.min.js and css/live.css.

import { connect } from "../js/live.js";
import { voice } from "../js/voice.js";

/**
 * Follow the room's voice on a kiosk page (its .kiosk-app `root` has data-meeting-id; `S` the
 * reconnecting card's words). A booth showing the page (its voice settings are the booth's) does
 * not: it takes fresh settings at each resident (voice.resetVoter).
 */
export function followVoice(root, S) {
  if (voice.config.screen !== "kiosk") return null;
  return connect({
    namespace: "/kiosk",
    join: { meeting_id: Number(root.dataset.meetingId) },
    on: { say: voice.announce, "voice.settings": voice.apply },
    large: true,
    texts: { reconnecting: S.reconnecting, reconnecting_detail: S.reconnecting_detail },
  });
}
