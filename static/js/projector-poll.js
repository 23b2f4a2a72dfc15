/* The projector's poll layout. While a poll is open: its question, ballots cast against those
 * expected (from the throttled "poll.count", never one broadcast per ballot), a progress bar, the
 * countdown, and the kiosk's QR code for latecomers. Once it closes, for a few minutes: bars for
 * each option by headcount (and by area under art. 278 or area weighting), the verdict, the
 * server's explanation, the start of the ballot list's hash and the audit log's anchor at closing.
 * Used by static/js/projector.js.
 */

import { parseTime, serverClock } from "./clock.js";
import { el, field, setText } from "./dom.js";
import { figuresTable } from "./figures.js";
import { format } from "./page.js";
import {
  optionLabel, pollBase, pollBook, pollExplanation, pollLeft, pollTimeText, pollVerdict,
} from "./poll.js";

/** "3f2a9c1b77d0e412…" → "3f2a 9c1b 77d0 e412" (the minutes carry the whole hash). */
function hashText(hash) {
  return hash ? hash.slice(0, 16).match(/.{1,4}/g).join(" ") : "";
}

/**
 * The poll part of the wall. `onLayout` runs whenever whether a poll is shown may have changed.
 * Returns {poll(snapshot), count(count), join(), showing()}.
 */
export function projectorPoll(wall, data, onLayout) {
  var texts = Object.assign({}, data.ballot_texts, data.texts);
  var section = wall.querySelector('[data-testid="poll"]');
  var count = section.querySelector('[data-testid="poll-count"]');
  var progress = section.querySelector(".poll-progress");
  var countdown = section.querySelector('[data-testid="poll-countdown"]');
  var verdict = section.querySelector('[data-testid="poll-verdict"]');
  var book = pollBook();
  var clock = serverClock();
  var showing = false;


  /** Open, or closed less than `poll_result_seconds` ago (by the server's clock). */
  function onWall(poll) {
    if (!poll || poll.status === "draft") return false;
    if (poll.status === "open") return true;
    var closed = parseTime(poll.closed_at);
    return !isNaN(closed) && clock.now() - closed < data.poll_result_seconds * 1000;
  }

  function renderLive(poll) {
    var base = pollBase(poll);
    setText(count, poll.cast + " / " + base);
    setText(field(section, "base"), format(/_present$/.test(poll.rule) ? texts.base_present : texts.base_eligible, { num: base }));
    progress.setAttribute("aria-valuemax", String(base));
    progress.setAttribute("aria-valuenow", String(poll.cast));
    var share = base ? Math.min(1, poll.cast / base) : 0;
    progress.firstElementChild.style.width = (share * 100).toFixed(1) + "%";
  }

  function bars(container, poll, basis) {
    var tallies = poll.result.tallies || {};
    var amount = function (option) {
      var tally = tallies[option] || { headcount: 0, area: "0" };
      return basis === "area" ? Number(tally.area) : Number(tally.headcount);
    };
    container.replaceChildren.apply(container, poll.options.map(function (option) {
      var value = amount(option);
      // The server's figures: exact where one decimal would mislead beside the threshold.
      var percent = (tallies[option] || {})[basis === "area" ? "percent_area" : "percent_headcount"] || "0.0";
      var fill = el("span", { className: "bar-fill" });
      fill.style.width = Math.min(100, Number(percent)).toFixed(1) + "%";
      var words = basis === "area"
        ? format(texts.area, { area: (tallies[option] || {}).area || "0.00" })
        : format(value === 1 ? texts.vote_one : texts.votes, { num: value });
      return el("div", { className: "bar", dataset: { option: option } }, [
        el("span", { className: "bar-label" }, [optionLabel(poll, option, texts)]),
        el("span", { className: "bar-track" }, [fill]),
        el("span", { className: "bar-value" }, [words + " · " + percent + "%"]),
      ]);
    }));
    figuresTable(container, Array.from(container.children, (bar) => ({
      label: bar.children[0].textContent, value: bar.children[2].textContent,
    })), [texts.figure_option, texts.figure_result]);
  }

  function renderResult(poll) {
    var outcome = pollVerdict(poll, texts);
    verdict.dataset.passed = outcome.passed === null ? "" : String(outcome.passed);
    setText(field(section, "verdict"), poll.result ? outcome.text : texts.closed);
    setText(field(section, "mark"), outcome.passed === true ? "✓" : outcome.passed === false ? "✕" : "");
    var byArea = /^art278_/.test(poll.rule) || poll.weighting === "area";
    section.querySelector('[data-basis="area"]').hidden = !byArea;
    section.dataset.bars = byArea ? "2" : "1";
    if (poll.result) {
      bars(field(section, "bars-headcount"), poll, "headcount");
      if (byArea) bars(field(section, "bars-area"), poll, "area");
    }
    setText(section.querySelector('[data-testid="poll-explanation"]'), pollExplanation(poll, data.lang));
    var hash = section.querySelector('[data-testid="poll-hash"]');
    hash.dataset.hash = poll.final_hash || "";
    setText(hash, hashText(poll.final_hash));
    // The chain's head at closing: a photo of the wall proves the box later (yishi verify --anchor).
    var anchor = section.querySelector('[data-testid="poll-anchor"]');
    anchor.hidden = !poll.anchor;
    anchor.dataset.anchor = poll.anchor ? poll.anchor.hash : "";
    setText(field(section, "anchor-label"), poll.anchor ? format(texts.anchor, { seq: poll.anchor.seq }) : "");
    setText(field(section, "anchor"), poll.anchor ? poll.anchor.short : "");
  }

  function render() {
    var poll = book.current();
    showing = onWall(poll);
    section.dataset.status = showing ? poll.status : "";
    wall.dataset.pollStatus = section.dataset.status;
    if (showing) {
      section.dataset.pollId = String(poll.id);
      setText(section.querySelector('[data-testid="poll-question"]'), poll.question);
      setText(field(section, "kind"), poll.secret ? texts.secret : texts.named);
      var matter = field(section, "matter");
      matter.hidden = !poll.matter_kind;
      setText(matter, poll.matter_kind ? texts.matters[poll.matter_kind] : "");
      renderLive(poll);
      if (poll.status !== "open") renderResult(poll);
    }
    tick();
    onLayout();
  }

  function tick() {
    var poll = book.current();
    setText(countdown, showing ? pollTimeText(pollLeft(poll, clock.now()), texts) : "");
    if (onWall(poll) !== showing) render();
  }

  function take(snapshot) {
    clock.sync(snapshot);
    return book.add(snapshot);
  }

  take(data.poll);
  render();
  window.setInterval(tick, 500);
  return {
    poll: function (snapshot) { if (take(snapshot)) render(); },
    count: function (update) {
      var poll = book.current();
      if (book.count(update) && poll && poll.id === update.poll_id && showing) renderLive(book.current());
    },
    /** On every (re)connect: the poll in view from the join answer (its count as it is now:
     *  what the wall showed before the break is replaced, never kept as the final count). */
    join: function (answer) {
      if (answer && answer.poll) take(answer.poll);
      render();
    },
    showing: function () { return showing; },
  };
}
