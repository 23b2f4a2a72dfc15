/* Polls on the attendee's screens and the wall: which poll is in view, its countdown from the
 * server's clock, its options and verdict in the page's words, ballot ids and receipt codes.
 * Needs static/js/live.js and static/js/floor.js loaded first.
 */
(function () {
  "use strict";
  var Yishi = (window.Yishi = window.Yishi || {});
  var RANK = { draft: 0, open: 1, closed: 2, published: 3 };

  /**
   * The polls a screen has heard of, each in its latest state (a poll never goes back from
   * closed to open, so a late or repeated snapshot is dropped). `current()` is the poll in view,
   * as the server chooses it: the open one, else the latest closed or published; drafts never.
   */
  Yishi.pollBook = function () {
    var polls = {};
    return {
      /** Take a snapshot; true when it changed what is known. */
      add: function (poll) {
        if (!poll || typeof poll.id !== "number") return false;
        var known = polls[poll.id];
        if (known && RANK[poll.status] < RANK[known.status]) return false;
        polls[poll.id] = poll;
        return true;
      },
      /** Apply a live count ({poll_id, cast, eligible, present}) to its poll (never a lower one). */
      count: function (count) {
        var known = count && polls[count.poll_id];
        if (!known || known.status !== "open") return false;
        // Ballots are never taken back while a poll is open: a count lower than the one shown
        // is a late one (several workers each send their own), not news.
        if (typeof known.cast === "number" && count.cast < known.cast) return false;
        polls[count.poll_id] = Object.assign({}, known, {
          cast: count.cast, eligible: count.eligible, present: count.present,
        });
        return true;
      },
      current: function () {
        var all = Object.keys(polls).map(function (id) { return polls[id]; });
        all.sort(function (a, b) { return b.id - a.id; });
        return all.filter(function (p) { return p.status === "open"; })[0]
          || all.filter(function (p) { return RANK[p.status] >= RANK.closed; })[0]
          || null;
      },
    };
  };

  /** The countdown of a poll with a deadline, from the server's time sent with each snapshot. */
  Yishi.pollClock = function () {
    var offset = 0;
    return {
      sync: function (poll) {
        var server = poll ? Yishi.parseTime(poll.server_now) : NaN;
        if (!isNaN(server)) offset = server - Date.now();
      },
      now: function () { return Date.now() + offset; },
      /** Milliseconds left until the poll's deadline, or null when it has none (or is not open). */
      left: function (poll) {
        if (!poll || poll.status !== "open" || !poll.closes_at) return null;
        return Yishi.parseTime(poll.closes_at) - (Date.now() + offset);
      },
    };
  };

  /** "Time left 1:05" or "Time is up" (empty without a deadline). */
  Yishi.pollTimeText = function (ms, texts) {
    if (ms === null) return "";
    return ms > 0 ? Yishi.format(texts.time_left, { time: Yishi.formatClock(ms) }) : texts.time_up;
  };

  /** How many are expected to vote: those present at the opening for present-based rules. */
  Yishi.pollBase = function (poll) {
    return /_present$/.test(poll.rule) ? poll.present : poll.eligible;
  };

  /** An option in the page's words (a choice poll's options are the moderator's own words). */
  Yishi.optionLabel = function (poll, option, texts) {
    return poll.kind === "yes_no" ? texts.options[option] || option : option;
  };

  /** The verdict of a closed poll: {passed: true|false|null, text}. */
  Yishi.pollVerdict = function (poll, texts) {
    var result = poll.result || {};
    if (result.passed === true || result.passed === false) {
      return { passed: result.passed, text: result.passed ? texts.passed : texts.not_passed };
    }
    var names = function (options) {
      return options.map(function (o) { return Yishi.optionLabel(poll, o, texts); }).join(texts.choice_separator || ", ");
    };
    // A tie for the last places is said as one: the hall decides (the explanation says how).
    if (result.tie) return { passed: null, tie: true, text: Yishi.format(texts.tie, { options: names(result.tie.options) }) };
    var chosen = result.chosen || result.leaders || [];
    return {
      passed: null,
      text: chosen.length ? Yishi.format(texts.leading, { options: names(chosen) }) : texts.no_ballots,
    };
  };

  /** The result explained in the page's language ("zh-CN" or "en"), as the server words it. */
  Yishi.pollExplanation = function (poll, lang) {
    var words = poll.explanation || {};
    return (String(lang).indexOf("zh") === 0 ? words.zh_CN : words.en) || "";
  };

  /** A fresh ballot id (128 random bits as hex): the server answers a resend with one receipt. */
  Yishi.ballotId = function () {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
  };

  /** A receipt code as read aloud or copied: "K7QM 2XPA". */
  Yishi.receiptText = function (code) {
    return code ? String(code).slice(0, 4) + " " + String(code).slice(4) : "";
  };
})();
