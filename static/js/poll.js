// Polls on the attendees' screens and the wall: which poll is in view, its countdown from the
// server's clock, its options and verdict in the page's words, receipt codes.

import { formatClock, parseTime } from "./clock.js";
import { format } from "./page.js";

const RANK = { draft: 0, open: 1, closed: 2, published: 3 };

/**
 * The polls a screen has heard of, each in its latest state (a poll never goes back from
 * closed to open, so a late or repeated snapshot is dropped). `current()` is the poll in view,
 * as the server chooses it: the open one, else the latest closed or published; drafts never.
 */
export function pollBook() {
  const polls = new Map();
  const all = () => [...polls.values()].sort((a, b) => b.id - a.id);
  return {
    /** Take a snapshot; true when it changed what is known. */
    add(poll) {
      if (!poll || typeof poll.id !== "number") return false;
      const known = polls.get(poll.id);
      if (known && RANK[poll.status] < RANK[known.status]) return false;
      // Ballots are never taken back: a late snapshot of the same state keeps the higher count.
      const late = known && known.status === poll.status && poll.cast < known.cast;
      polls.set(poll.id, late ? { ...poll, cast: known.cast } : poll);
      return true;
    },
    /** Apply a live count ({poll_id, cast, eligible, present}) to its poll (never a lower one). */
    count(count) {
      const known = count && polls.get(count.poll_id);
      if (!known || known.status !== "open") return false;
      // Ballots are never taken back while a poll is open: a count lower than the one shown
      // is a late one (several workers each send their own), not news.
      if (typeof known.cast === "number" && count.cast < known.cast) return false;
      polls.set(count.poll_id, {
        ...known, cast: count.cast, eligible: count.eligible, present: count.present,
      });
      return true;
    },
    get: (id) => polls.get(id) || null,
    /** Every poll known, the newest first (the staff's list). */
    all,
    /** The open poll, or null. */
    open: () => all().find((p) => p.status === "open") || null,
    current: () => all().find((p) => p.status === "open")
      || all().find((p) => RANK[p.status] >= RANK.closed)
      || null,
  };
}

/** Milliseconds left at `nowMs` (the server's clock) until the poll's deadline, or null when it
 *  has none (or is not open). */
export function pollLeft(poll, nowMs) {
  if (!poll || poll.status !== "open" || !poll.closes_at) return null;
  return parseTime(poll.closes_at) - nowMs;
}

/** "Time left 1:05" or "Time is up" (empty without a deadline). */
export function pollTimeText(ms, texts) {
  if (ms === null) return "";
  return ms > 0 ? format(texts.time_left, { time: formatClock(ms) }) : texts.time_up;
}

/** How many are expected to vote: those present at the opening for present-based rules. */
export function pollBase(poll) {
  return /_present$/.test(poll.rule) ? poll.present : poll.eligible;
}

/** An option in the page's words (a choice poll's options are the moderator's own words). */
export function optionLabel(poll, option, texts) {
  return poll.kind === "yes_no" ? texts.options[option] || option : option;
}

/** The verdict of a closed poll: {passed: true|false|null, tie (a tie for the last places), text}. */
export function pollVerdict(poll, texts) {
  var result = poll.result || {};
  if (result.passed === true || result.passed === false) {
    return { passed: result.passed, text: result.passed ? texts.passed : texts.not_passed };
  }
  var names = function (options) {
    return options.map(function (o) { return optionLabel(poll, o, texts); }).join(texts.choice_separator || ", ");
  };
  // A tie for the last places is said as one: the hall decides (the explanation says how).
  if (result.tie) return { passed: null, tie: true, text: format(texts.tie, { options: names(result.tie.options) }) };
  var chosen = result.chosen || result.leaders || [];
  return {
    passed: null,
    text: chosen.length ? format(texts.leading, { options: names(chosen) }) : texts.no_ballots,
  };
}

/** The result explained in the page's language ("zh-CN" or "en"), as the server words it. */
export function pollExplanation(poll, lang) {
  var words = poll.explanation || {};
  return (String(lang).indexOf("zh") === 0 ? words.zh_CN : words.en) || "";
}

/** A receipt code as read aloud or copied: "K7QM 2XPA". */
export function receiptText(code) {
  return code ? String(code).slice(0, 4) + " " + String(code).slice(4) : "";
}
