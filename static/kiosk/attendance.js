// The live attendance under the kiosk's welcome: "signed in N of M" and whether the quorum is
// met, from each attendance snapshot (every sign-in anywhere, coalesced by the server), drawn
// once per animation frame however many arrive.

import { format } from "../js/page.js";

/**
 * Follow the attendance in `line` (its [data-role] attendance-count and quorum), in the words of
 * `S`, starting from the snapshot the page was served with (`first`, drawn at once). Returns
 * show(snapshot) for each newer one.
 */
export function attendanceLine(line, S, first) {
  let waiting = null; // the newest snapshot; drawn at the next frame, once per burst

  function draw() {
    const snapshot = waiting;
    if (!snapshot) return;
    waiting = null;
    const heads = snapshot.clauses.find((clause) => clause.measure === "headcount");
    const present = heads ? heads.present : String(snapshot.in_person + snapshot.by_proxy);
    line.querySelector("[data-role=attendance-count]").textContent = heads
      ? format(S.attendance, { n: present, m: heads.total }) : format(S.attendance_only, { n: present });
    line.querySelector("[data-role=quorum]").textContent = snapshot.quorum_met ? S.quorum_met : S.quorum_not_met;
    line.dataset.met = String(snapshot.quorum_met);
    line.dataset.present = present;
    line.hidden = false;
  }

  waiting = first;
  draw();
  return (snapshot) => {
    const drawing = waiting !== null;
    waiting = snapshot;
    if (!drawing) window.requestAnimationFrame(draw);
  };
}
