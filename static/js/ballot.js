/* The ballot on the phone page and at the voting booth (markup: templates/_ballot.html): one
 * question, big buttons, a confirm step, then the receipt code; the verdict once the poll closes.
 * Two taps from an open poll to a cast ballot: the choice, then "Cast my vote".
 * The page decides how a ballot travels: `options.submit(poll, choices)` returns a promise of the
 * server's answer {receipt, replaced, unit_note} or rejects with a RequestError (static/js/http.js).
 */

import { everyTick, serverClock } from "./clock.js";
import { el, setText } from "./dom.js";
import { format } from "./page.js";
import { optionLabel, pollExplanation, pollLeft, pollTimeText, pollVerdict, receiptText } from "./poll.js";
import { number } from "./voice-words.js";

var MARKS = { for: "✓", against: "✕", abstain: "○" };

/**
 * options.texts        the words of templates/_ballot.html (page-data)
 * options.lang         the page's language, for the server's explanation of a result
 * options.submit       (poll, choices) → Promise of {receipt, replaced}
 * options.canVote      false for an observer: the question shows, no buttons
 * options.changeAfterReceipt  offer "Change my vote" under a named poll's receipt
 * options.onStep       (step) after every change of step
 * options.resend       true: a ballot the connection lost stays at the "sending" step, saying
 *                      it waits for the connection, until the page calls castAgain() (the
 *                      same id: counted once); else the voter is asked to cast it again
 * Returns {show(poll, situation), voter(text), reset(), poll(), step(), castAgain(),
 * waiting()}.
 */
export function ballotView(root, options) {
  var texts = options.texts;
  var clock = serverClock();
  var state = fresh();
  var question = root.querySelector('[data-testid="ballot-question"]');
  var message = root.querySelector('[data-testid="ballot-message"]');
  var countdown = root.querySelector('[data-testid="ballot-countdown"]');
  var receipt = root.querySelector('[data-testid="receipt"]');
  var change = root.querySelector('[data-action="change"]');
  var proxy = root.querySelector('[data-testid="ballot-proxy"]');
  var retrying = root.querySelector('[data-testid="ballot-retrying"]');

  function fresh() {
    return {
      poll: null, step: "none", choices: [], receipt: null, replaced: false, voted: false, busy: false,
      waiting: false, countedBy: null, unitNote: null,
    };
  }
  function part(name) { return root.querySelector('[data-field="' + name + '"]'); }
  function label(option) { return optionLabel(state.poll, option, texts); }
  function choiceText(choices) { return choices.map(label).join(texts.choice_separator); }

  function tell(text) {
    setText(message, text || "");
    message.hidden = !text;
  }

  /** The ballot lost its connection and waits to go again (`on`), or not. */
  function wait(on) {
    state.waiting = on;
    root.dataset.retrying = String(on);
    setText(retrying, on ? texts.retrying : "");
    retrying.hidden = !on;
  }

  function go(step) {
    var changed = state.step !== step;
    if (step !== "sending") wait(false);
    state.step = step;
    root.dataset.step = step;
    root.hidden = step === "none";
    root.querySelectorAll(".ballot-step").forEach(function (node) { node.hidden = node.dataset.step !== step; });
    var open = state.poll && state.poll.status === "open";
    change.hidden = !(open && !state.poll.secret && state.voted
      && (step === "voted" || (step === "receipt" && options.changeAfterReceipt)));
    if (changed && step !== "none") {
      var shown = root.querySelector('.ballot-step[data-step="' + step + '"]');
      if (shown && root.getBoundingClientRect().height) shown.scrollIntoView({ block: "nearest" });
    }
    if (options.onStep) options.onStep(step);
  }

  /** An option's full accessible name: "赞成 — 议题：…" (not only "赞成" among other polls). */
  function fullName(option) {
    return format(texts.option_name, { option: label(option), question: state.poll.question });
  }

  function optionButton(option) {
    return el("button", {
      type: "button", className: "ballot-option",
      dataset: { option: option, testid: "ballot-option-" + option },
      attrs: { "aria-label": fullName(option), "data-read": label(option) },
    }, [MARKS[option] && state.poll.kind === "yes_no"
      ? el("span", { className: "ballot-mark", attrs: { "aria-hidden": "true" } }, [MARKS[option]]) : null,
    el("span", { className: "ballot-label" }, [label(option)])]);
  }

  function optionBox(option) {
    var box = el("input", {
      type: "checkbox", value: option, attrs: { "aria-label": fullName(option), "data-read": label(option) },
    });
    return el("label", { className: "ballot-option ballot-check", dataset: { option: option } }, [
      box, el("span", { className: "ballot-label" }, [label(option)]),
    ]);
  }

  function renderOptions(poll) {
    var many = poll.max_choices > 1;
    var list = part("options");
    list.replaceChildren.apply(list, poll.options.map(many ? optionBox : optionButton));
    list.dataset.count = String(poll.options.length);
    var hint = part("hint");
    hint.hidden = !many;
    setText(hint, many ? format(texts.choose_up_to, { num: poll.max_choices }) : "");
    root.querySelector('[data-action="next"]').hidden = !many;
  }

  function renderHead(poll) {
    setText(question, poll.question);
    setText(part("kind"), texts.vote);
    setText(part("note"), poll.status !== "open" ? "" : poll.secret ? texts.secret_note : texts.named_note);
  }

  function renderReceipt() {
    receipt.dataset.receipt = state.receipt || "";
    setText(receipt, receiptText(state.receipt));
    receipt.setAttribute("aria-label", format(texts.receipt_is, {
      code: String(state.receipt || "").split("").join(" "),
    }));
    root.querySelector('[data-testid="ballot-changed"]').hidden = !state.replaced;
    setText(part("your-choice"), state.choices.length
      ? format(texts.your_choice, { choice: choiceText(state.choices) }) : "");
    renderCountedBy(part("counted-by"));
    renderUnitNote(part("unit-note"));
  }

  /** An owners' assembly: the voter's unit already voted on the matter (the server said how). */
  function renderUnitNote(node) {
    var note = state.unitNote;
    if (!node) return;
    var how = note && ((texts.unit_channels || {})[note.channel] || note.channel);
    setText(node, note ? format(note.stands ? texts.unit_replaced : texts.unit_voted, {
      address: note.address, channel: how,
    }) : "");
    node.hidden = !note;
  }

  /** In a named vote, a later ballot on another channel counts (the server said which). */
  function renderCountedBy(node) {
    var by = state.countedBy && texts.channels[state.countedBy];
    setText(node, by ? format(texts.counted_by, { channel: by }) : "");
    node.hidden = !by;
  }

  function renderResult(poll) {
    var verdict = pollVerdict(poll, texts);
    var node = root.querySelector('[data-testid="ballot-verdict"]');
    node.dataset.passed = verdict.passed === null ? "" : String(verdict.passed);
    setText(node, poll.result ? verdict.text : texts.closed);
    setText(root.querySelector('[data-testid="ballot-explanation"]'), pollExplanation(poll, options.lang));
    var line = part("receipt-line");
    line.hidden = !state.receipt;
    var code = state.receipt ? format(texts.receipt_is, { code: receiptText(state.receipt) }) : "";
    setText(line, state.receipt && state.choices.length
      ? format(texts.your_choice, { choice: choiceText(state.choices) }) + " · " + code : code);
    renderCountedBy(part("result-counted-by"));
  }

  function voted(text) {
    setText(root.querySelector('[data-testid="ballot-voted"]'), text);
    go("voted");
  }

  /** Show `poll` (a PollView); `situation` says what the server knows of this voter:
   *  {voted, message, receipt, choices, replaced, countedBy (a named ballot's later channel),
   *   unitNote (an assembly's unit already voted: {address, channel, stands})}. */
  function show(poll, situation) {
    situation = situation || {};
    if (!poll || poll.status === "draft") {
      state = fresh();
      go("none");
      return;
    }
    var same = state.poll && state.poll.id === poll.id;
    if (!same) {
      state = Object.assign(fresh(), { step: state.step });
      tell("");
    }
    state.poll = poll;
    clock.sync(poll);
    if (situation.receipt) {
      state.receipt = situation.receipt;
      state.choices = situation.choices || state.choices;
      state.replaced = Boolean(situation.replaced);
      state.countedBy = situation.countedBy || null;
      state.unitNote = situation.unitNote || null;
    }
    if (situation.voted || situation.receipt) state.voted = true;
    renderHead(poll);
    tick();
    if (poll.status !== "open") {
      tell("");
      renderResult(poll);
      go("result");
    } else if (state.busy || state.waiting) {
      return;
    } else if (options.canVote === false) {
      voted(texts.no_vote);
    } else if (situation.receipt) {
      renderReceipt();
      go("receipt");
    } else if (situation.voted) {
      voted(situation.message || (poll.secret ? texts.voted : texts.voted_named));
    } else if (!same || ["none", "result"].indexOf(state.step) >= 0) {
      renderOptions(poll);
      go("choose");
    }
  }

  function choose(choices) {
    state.choices = choices;
    tell("");
    var chosen = root.querySelector('[data-testid="ballot-chosen"]');
    chosen.dataset.option = choices.length === 1 ? choices[0] : "";
    setText(chosen, format(texts.chosen, { choice: choiceText(choices) }));
    go("confirm");
  }

  function cast() {
    if (state.busy || !state.poll || !state.choices.length) return;
    var poll = state.poll;
    var choices = state.choices.slice();
    state.busy = true;
    tell("");
    go("sending");
    wait(false);
    options.submit(poll, choices).then(function (answer) {
      state.busy = false;
      if (!state.poll || state.poll.id !== poll.id) return;
      state.receipt = answer.receipt;
      state.replaced = Boolean(answer.replaced);
      state.countedBy = null;
      state.unitNote = answer.unit_note || null;
      state.voted = true;
      renderReceipt();
      if (state.poll.status === "open") go("receipt");
      else show(state.poll);
    }, function (error) {
      state.busy = false;
      if (!state.poll || state.poll.id !== poll.id) return;
      if (state.poll.status !== "open") {
        show(state.poll);
      } else if (error.lost && options.resend) {
        wait(true);  // the page sends it again when the connection is back
      } else if (error.lost) {
        go("confirm");
        tell(texts.offline);
      } else {
        if (error.code === "already_voted") state.voted = true;
        voted(error.message || texts.failed);
      }
    });
  }

  function tick() {
    setText(countdown, pollTimeText(pollLeft(state.poll, clock.now()), texts));
  }

  /** The option at `index` as read aloud, with its number: "第一项，赞成". */
  function optionWords(index) {
    return format(texts.read_option, { num: number(index + 1), option: label(state.poll.options[index]) });
  }

  function shownText(node) { return node && !node.hidden ? node.textContent.trim() : ""; }

  /** What the step in view says, as sentences to read aloud (`buttons`: with the buttons'
   *  words, for a screen read by touch). */
  function readout(buttons) {
    var poll = state.poll;
    var step = state.step;
    if (!poll || step === "none" || step === "sending") return [];
    var said = [shownText(message)];
    var shown = root.querySelector('.ballot-step[data-step="' + step + '"]');
    if (step === "choose") {
      said.push(shownText(proxy), format(texts.read_question, { question: poll.question }),
        part("note").textContent);
      poll.options.forEach(function (option, index) { said.push(optionWords(index)); });
      said.push(shownText(part("hint")));
    } else if (step === "receipt") {
      said.push(texts.recorded, part("your-choice").textContent, shownText(part("counted-by")),
        format(texts.receipt_is, { code: String(state.receipt || "").split("").join(" ") }));
    } else {
      shown.querySelectorAll("p").forEach(function (line) { said.push(shownText(line)); });
    }
    if (buttons) shown.querySelectorAll("button[data-action]:not([hidden])").forEach(function (b) { said.push(b.textContent); });
    return said.filter(Boolean);
  }

  root.addEventListener("click", function (event) {
    var target = event.target.closest("button, input");
    if (!target || !root.contains(target) || state.busy) return;
    if (target.tagName === "INPUT") {
      var boxes = Array.prototype.slice.call(root.querySelectorAll(".ballot-check input"));
      var ticked = boxes.filter(function (box) { return box.checked; });
      boxes.forEach(function (box) {
        box.disabled = !box.checked && ticked.length >= state.poll.max_choices;
        box.parentNode.classList.toggle("ticked", box.checked);
      });
      return;
    }
    if (target.dataset.option) {
      choose([target.dataset.option]);
      return;
    }
    var action = target.dataset.action;
    if (action === "next") {
      var picked = Array.prototype.slice.call(root.querySelectorAll(".ballot-check input:checked"))
        .map(function (box) { return box.value; });
      if (picked.length) choose(picked);
    } else if (action === "cast") {
      cast();
    } else if (action === "back" || action === "change") {
      tell("");
      renderOptions(state.poll);
      go("choose");
    }
  });

  everyTick(tick);
  return {
    show: show,
    /** A line naming whom the ballot is for (a proxy votes for the member they represent). */
    voter: function (text) {
      setText(proxy, text || "");
      proxy.hidden = !text;
    },
    /** Forget the voter and the poll: nothing of them stays in the page. */
    reset: function () {
      state = fresh();
      tell("");
      [question, receipt, proxy, countdown].forEach(function (node) { node.textContent = ""; });
      receipt.dataset.receipt = "";
      root.querySelectorAll('[data-field], [data-testid="ballot-chosen"], [data-testid="ballot-voted"], [data-testid="ballot-verdict"], [data-testid="ballot-explanation"]')
        .forEach(function (node) { node.replaceChildren(); });
      proxy.hidden = true;
      go("none");
    },
    /** Send again the choices of the step in view (after the connection came back). */
    castAgain: function (choices) {
      if (state.busy || !state.poll || state.poll.status !== "open") return;
      state.choices = choices;
      cast();
    },
    poll: function () { return state.poll; },
    step: function () { return state.step; },
    receipt: function () { return state.receipt; },
    /** The choices of a ballot waiting for the connection to go again, else null. */
    waiting: function () { return state.waiting && !state.busy ? state.choices.slice() : null; },
    readout: readout,
    optionWords: optionWords,
    /** The options chosen at the confirm step. */
    chosen: function () { return state.choices.slice(); },
    /** The step's choices in order: option buttons (or boxes), then "Next" when shown. */
    choices: function () {
      var nodes = Array.prototype.slice.call(root.querySelectorAll('[data-field="options"] .ballot-option'));
      var next = root.querySelector('[data-action="next"]');
      return next.hidden ? nodes : nodes.concat([next]);
    },
  };
}
