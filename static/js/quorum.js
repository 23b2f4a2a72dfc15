// The quorum in short, in the headers of the staff screens (the clerk desk, the moderator
// console): met or not, each clause's figures, the counts of those here.

import { setText } from "./dom.js";

/** Fill `box` from an attendance snapshot: its data-met, [data-field="verdict"], a
 *  [data-field] per clause ("headcount", "area") and the [data-count] figures. */
export function showQuorum(box, snapshot, texts) {
  box.dataset.met = String(snapshot.quorum_met);
  setText(box.querySelector('[data-field="verdict"]'), snapshot.quorum_met ? texts.met : texts.not_met);
  for (const clause of snapshot.clauses) {
    const text = clause.measure === "headcount"
      ? clause.present + " / " + clause.total + " · " + clause.percent + "%"
      : clause.percent + "%";
    setText(box.querySelector(`[data-field="${clause.measure}"]`), text);
  }
  for (const node of box.querySelectorAll("[data-count]")) setText(node, snapshot[node.dataset.count]);
}
