// The clerk desk's assisted votes (代填): the clerk finds a member who is here, ticks their
// answer to the open vote and records it, with the clerk on duty as the helper.

import { clerkName } from "./clerk-desk.js";
import { chosenLine, memberPicker } from "./clerk-picker.js";
import { el, field, setText } from "./dom.js";
import { request } from "./http.js";
import { format } from "./page.js";
import { optionLabel } from "./poll.js";

/**
 * The assisted-vote form. `page` is the desk's page data, `voting` the view's (words, texts);
 * `openPoll()` the vote open now. Returns {show(poll)}: the open poll's choices (or none).
 */
export function assistedVotes({ page, voting, openPoll }) {
  var words = voting.words;
  var t = voting.texts;
  var form = document.getElementById("assisted-form");
  var result = document.querySelector('[data-testid="assisted-result"]');
  var clerkInput = document.getElementById("clerk-name");
  var voter = null;

  function show(poll) {
    var box = field(form, "choices");
    var key = poll ? String(poll.id) : "";
    if (box.dataset.poll === key) return;  // keep what the clerk ticked
    box.dataset.poll = key;
    var multiple = poll && poll.max_choices > 1;
    var inputs = poll ? poll.options.map(function (option) {
      return el("label", { className: "check" }, [
        el("input", { type: multiple ? "checkbox" : "radio", name: "choice", value: option }),
        optionLabel(poll, option, words),
      ]);
    }) : [];
    if (multiple) inputs.push(el("p", { className: "hint", text: format(words.max_choices, { num: poll.max_choices }) }));
    box.replaceChildren.apply(box, [box.querySelector("legend")].concat(inputs));
  }

  /** What became of an assisted vote: "recorded" with its receipt, or "refused" in words. */
  function tell(outcome, lines, receipt) {
    result.dataset.state = outcome;
    var nodes = lines.filter(Boolean).map(function (line) { return el("p", { text: line }); });
    if (receipt) {
      nodes.push(el("p", {}, [
        t.receipt_code + " ", el("code", { className: "receipt", "data-testid": "assisted-receipt", text: receipt }),
      ]));
    }
    result.replaceChildren.apply(result, nodes);
    result.setAttribute("role", outcome === "refused" ? "alert" : "status");
    result.hidden = false;
  }

  function chooseVoter(member) {
    voter = member;
    chosenLine(field(form, "chosen"), member, page.texts);
  }

  memberPicker(form, {
    page: page,
    texts: t,
    signedInOnly: true,
    choose: function (member) {
      chooseVoter(member);
      var first = form.querySelector('input[name="choice"]');
      if (first) first.focus();
    },
  });

  function showHelper() { setText(field(form, "helper"), clerkInput.value.trim()); }
  clerkInput.addEventListener("input", showHelper);
  showHelper();

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var poll = openPoll();
    if (!poll) return tell("refused", [t.need_open_poll]);
    if (!voter) {
      form.elements.q.focus();
      return tell("refused", [t.need_voter]);
    }
    var choices = Array.prototype.map.call(form.querySelectorAll('input[name="choice"]:checked'), function (box) {
      return box.value;
    });
    if (!choices.length) return tell("refused", [t.need_choice]);
    var helper = clerkName();
    if (!helper) return;
    var member = voter;
    var submit = form.querySelector('[type="submit"]');
    submit.disabled = true;
    request("/api/v1/polls/" + poll.id + "/assisted", {
      method: "POST", body: { member_id: member.id, choices: choices, helper: helper },
    }).then(
      function (answer) {
        submit.disabled = false;
        var note = answer.unit_note;
        tell("recorded", [
          format(t.assisted_done, { name: member.name }), answer.replaced ? t.assisted_replaced : "",
          note ? format(note.stands ? t.assisted_unit_replaced : t.assisted_unit_voted, {
            address: note.address, channel: (t.unit_channels || {})[note.channel] || note.channel,
          }) : "",
        ], answer.receipt);
        chooseVoter(null);
        form.elements.q.value = "";
        form.querySelectorAll('input[name="choice"]').forEach(function (box) { box.checked = false; });
      },
      function (error) {
        submit.disabled = false;
        tell("refused", [error.message || page.texts.failed]);
      }
    );
  });

  return { show: show };
}
