/* The moderator console's draft of a new vote: the question, its kind (for/against/abstain or a
 * choice among options), secret or named, who may vote, how votes weigh, the rule, the agenda
 * item and a time limit; sent as "poll.create" over /moderator. */

import { el, field, setText } from "./dom.js";
import { currentFloor, say, send, watchFloor } from "./moderator.js";

/**
 * The draft form. `words` are the staff's words of voting, `texts` the voting view's;
 * `created(poll)` runs with the new poll once the server has it.
 */
export function pollForm({ words, texts, created }) {
  var form = document.getElementById("poll-form");
  var elements = form.elements;
  var itemChosen = false;  // the moderator chose the item: it no longer follows the floor

  function checked(name) { return form.querySelector('input[name="' + name + '"]:checked').value; }

  function sync() {
    var choice = checked("kind") === "choice";
    var rule = elements.rule.value.split(":")[0];  // "art278_major:fund_raising": rule, matter
    var art278 = !choice && rule.indexOf("art278") === 0;
    field(form, "options").hidden = !choice;
    field(form, "rule-row").hidden = choice;
    field(form, "choice-note").hidden = !choice;
    // Civil Code art. 278: the owners decide, always (the server refuses any other base).
    if (art278) elements.eligibility.value = "owners";
    elements.eligibility.disabled = art278;
    field(form, "groups").hidden = elements.eligibility.value !== "groups";
    elements.weighting.disabled = art278;
    setText(form.querySelector('[data-testid="rule-description"]'),
      words.rule_notes[rule] + (art278 ? " " + texts.art278_weighting : ""));
  }
  form.addEventListener("change", function (event) {
    if (event.target === elements.item_id) itemChosen = true;
    sync();
  });

  /** The agenda items to attach a poll to; the item under discussion unless another was chosen. */
  function fillItems(floor) {
    var select = elements.item_id;
    var before = select.value;
    var choices = [el("option", { value: "" }, [texts.no_item_option])].concat(floor.agenda.map(function (item) {
      return el("option", { value: String(item.id) }, [item.position + ". " + item.title]);
    }));
    select.replaceChildren.apply(select, choices);
    var stillThere = floor.agenda.some(function (item) { return String(item.id) === before; });
    select.value = itemChosen && (stillThere || before === "") ? before
      : floor.active_item_id !== null ? String(floor.active_item_id) : "";
  }

  /** The poll.create payload from the form, or the words of what is missing. */
  function draft() {
    var question = elements.question.value.trim();
    if (!question) return { problem: texts.need_question, field: elements.question };
    var body = {
      question: question,
      kind: checked("kind"),
      secret: checked("secret") === "true",
      eligibility: elements.eligibility.value,
      weighting: elements.weighting.disabled ? "headcount" : elements.weighting.value,
      rule: elements.rule.value,
      item_id: elements.item_id.value ? Number(elements.item_id.value) : null,
    };
    if (body.kind === "choice") {
      var options = [];
      elements.options.value.split("\n").forEach(function (line) {
        var option = line.trim();
        if (option && options.indexOf(option) < 0) options.push(option);
      });
      if (options.length < 2) return { problem: texts.need_options, field: elements.options };
      var most = Number(elements.max_choices.value) || 1;
      if (most < 1 || most > options.length) return { problem: texts.too_many_choices, field: elements.max_choices };
      body.options = options;
      body.max_choices = most;
    }
    if (body.eligibility === "groups") {
      body.groups = Array.prototype.map.call(form.querySelectorAll('input[name="groups"]:checked'), function (box) {
        return box.value;
      });
      if (!body.groups.length) return { problem: texts.need_groups, field: form.querySelector('input[name="groups"]') };
    }
    var minutes = Number(elements.minutes.value);
    if (minutes > 0) body.duration_s = Math.round(minutes * 60);
    return { body: body };
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var made = draft();
    if (made.problem) {
      say(made.problem, "error");
      made.field.focus();
      return;
    }
    var submit = form.querySelector('[type="submit"]');
    submit.disabled = true;
    send("poll.create", made.body).then(
      function (answer) {
        submit.disabled = false;
        elements.question.value = "";
        elements.options.value = "";
        elements.minutes.value = "";
        itemChosen = false;
        fillItems(currentFloor());
        created(answer.poll);
      },
      function () { submit.disabled = false; }
    );
  });

  watchFloor(fillItems);
  sync();
}
