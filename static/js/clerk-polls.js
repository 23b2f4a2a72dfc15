// The meeting's votes on the clerk desk: each with its count and verdict, the published ballot
// list of a closed one, and a receipt checker against those lists.

import { failed } from "./clerk-desk.js";
import { el, field, setText } from "./dom.js";
import { request } from "./http.js";
import { format } from "./page.js";
import { pollExplanation, pollVerdict } from "./poll.js";

var COUNTED = ["closed", "published"];

/** The list of votes; `page` is the desk's page data, `voting` the view's. Returns {show(polls)}
 *  for every poll known, the newest first. */
export function pollList({ page, voting }) {
  var words = voting.words;
  var t = voting.texts;
  var rows = document.querySelector('[data-testid="clerk-poll-list"] tbody');
  var ballotList = document.querySelector('[data-testid="ballot-list"]');
  var receiptForm = document.getElementById("receipt-form");

  function show(polls) {
    rows.replaceChildren.apply(rows, polls.length ? polls.map(row) : [
      el("tr", {}, [el("td", { colspan: "5", className: "empty", text: t.no_polls })]),
    ]);
    var select = receiptForm.elements.poll;
    var before = select.value;
    var counted = polls.filter(function (poll) { return COUNTED.indexOf(poll.status) >= 0; });
    select.replaceChildren.apply(select, counted.length ? counted.map(function (poll) {
      return el("option", { value: String(poll.id), text: poll.question });
    }) : [el("option", { value: "", text: t.no_closed_polls })]);
    if (counted.some(function (poll) { return String(poll.id) === before; })) select.value = before;
  }

  function row(poll) {
    var explanation = pollExplanation(poll, page.lang);
    return el("tr", { "data-poll-id": String(poll.id), "data-status": poll.status }, [
      el("th", { scope: "row", text: poll.question }),
      el("td", {}, [el("span", { className: "status-badge", "data-status": poll.status, text: words.statuses[poll.status] })]),
      el("td", { text: poll.status === "draft" ? "" : format(words.count, { cast: poll.cast, eligible: poll.eligible }) }),
      el("td", {}, [
        el("b", { text: poll.result ? pollVerdict(poll, words).text : "" }),
        explanation ? el("span", { className: "sub", text: explanation }) : null,
      ]),
      el("td", { className: "actions" }, COUNTED.indexOf(poll.status) >= 0 ? [el("button", {
        type: "button", className: "secondary small", text: t.ballot_list,
        "aria-label": format(t.ballot_list_of, { question: poll.question }),
        onclick: function () { showBallotList(poll); },
      })] : []),
    ]);
  }

  function showBallotList(poll) {
    request("/api/v1/polls/" + poll.id + "/ballot-list").then(function (list) {
      ballotList.dataset.pollId = String(poll.id);
      setText(field(ballotList, "title"), format(t.ballot_list_of, { question: poll.question }));
      setText(field(ballotList, "final-hash"), list.final_hash || "");
      var body = ballotList.querySelector("tbody");
      body.replaceChildren.apply(body, list.entries.length ? list.entries.map(function (entry) {
        return el("tr", {}, [
          el("td", { text: String(entry.position) }),
          el("td", { text: entry.text }),
          el("td", {}, [el("code", { text: entry.hash })]),
        ]);
      }) : [el("tr", {}, [el("td", { colspan: "3", className: "empty", text: t.ballot_list_empty })])]);
      ballotList.hidden = false;
      ballotList.scrollIntoView({ block: "nearest" });
    }, failed);
  }

  receiptForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var answer = document.querySelector('[data-testid="receipt-result"]');
    var code = receiptForm.elements.code.value.trim().toUpperCase();
    var pollId = receiptForm.elements.poll.value;
    function tell(text, found) {
      answer.textContent = text;
      answer.dataset.found = String(found);
      answer.hidden = false;
    }
    if (!pollId) return;
    if (!/^[0-9A-Z]{8}$/.test(code)) {
      tell(t.need_receipt, false);
      receiptForm.elements.code.focus();
      return;
    }
    request("/api/v1/polls/" + pollId + "/receipts/" + encodeURIComponent(code)).then(function (check) {
      tell(check.found ? format(t.receipt_found, check.entry) : t.receipt_not_found, check.found);
    }, function (error) { tell(error.message || page.texts.failed, false); });
  });

  return { show: show };
}
