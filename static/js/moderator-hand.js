/* The moderator console's raised-hand form: find an attendee by name, pinyin or room, choose the
 * stance, add them to the list. Only people signed in can be added (the server checks too). When
 * the rules refuse, the server's words are shown and "Set the rule aside" is offered.
 */

import { el } from "./dom.js";
import { request } from "./http.js";
import { currentFloor, say, send } from "./moderator.js";
import { format, pageData } from "./page.js";

var data = pageData();
var texts = data.texts;
var form = document.getElementById("add-hand");
var results = document.getElementById("hand-results");
var override = form.querySelector(".override");

function offerOverride(shown) {
  override.hidden = !shown;
  if (!shown) form.elements.override.checked = false;
}

function signedIn() {
  return request("/api/v1/meetings/" + data.meeting_id + "/attendance")
    .then(function (answer) {
      var here = {};
      answer.attendance.forEach(function (row) { if (!row.signed_out_at) here[row.member_id] = true; });
      return here;
    });
}

function row(member, here) {
  var action = here
    ? el("button", {
      type: "button", dataset: { memberId: member.id, name: member.name },
      attrs: { "aria-label": texts.add_hand + " " + member.name },  // the button's words first
    }, [texts.add_hand])
    : el("span", { className: "not-here" }, [texts.not_signed_in]);
  return el("li", { className: "hand-result", dataset: { here: String(Boolean(here)) } }, [
    el("span", { className: "hand-who" }, [
      el("strong", {}, [member.name]), " ", el("span", { className: "hand-address" }, [member.address]),
    ]),
    action,
  ]);
}

form.addEventListener("submit", function (event) {
  event.preventDefault();
  var q = form.elements.q.value.trim();
  if (!q) return;
  offerOverride(false);
  results.replaceChildren(el("li", { className: "hand-note" }, [texts.searching]));
  var url = "/api/v1/members?limit=8&q=" + encodeURIComponent(q);
  Promise.all([request(url), signedIn()]).then(
    function (answers) {
      var members = answers[0].members;
      var here = answers[1];
      // People in the room first: they are the ones who can raise a hand.
      members.sort(function (a, b) { return (here[b.id] ? 1 : 0) - (here[a.id] ? 1 : 0); });
      results.replaceChildren.apply(results, members.length
        ? members.map(function (member) { return row(member, here[member.id]); })
        : [el("li", { className: "hand-note" }, [format(texts.no_results, { q: q })])]);
    },
    function (error) {
      results.replaceChildren(el("li", { className: "hand-note" }, [error.message || texts.failed]));
    }
  );
});

results.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-member-id]");
  if (!button) return;
  var name = button.dataset.name;
  var pointOfOrder = form.elements.point_of_order.checked;
  send("speaker.add", {
    member_id: Number(button.dataset.memberId),
    stance: form.querySelector('input[name="stance"]:checked').value,
    kind: pointOfOrder ? "point_of_order" : "speech",
    override: form.elements.override.checked,
  }).then(
    function () {
      offerOverride(false);
      form.elements.point_of_order.checked = false;
      say(format(texts.added, { name: name }));
    },
    function (error) {
      var waiting = currentFloor().queue.some(function (request) {
        return request.member_id === Number(button.dataset.memberId);
      });
      if (error.code === "floor_refused" && !waiting) {  // being on the list twice cannot be overridden
        offerOverride(true);
        say(error.message + " " + texts.override_offer, "error");
      }
    }
  );
});
