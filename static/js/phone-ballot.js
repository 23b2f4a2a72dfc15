/* The ballot on the attendee's phone: shown as soon as a poll opens (the pushed "poll" event, or
 * the join answer on every (re)connect), cast over /phone with "ballot.cast".
 *
 * Each ballot carries an id made once with crypto.getRandomValues and kept in sessionStorage, with
 * its choices, until the server acknowledges it: a resend after a lost answer or a reconnect is
 * the same ballot, and the server answers the same receipt. The receipt is kept (per poll and
 * personal page) so a reload still shows it. Used by static/js/phone.js.
 */

import { ballotView } from "./ballot.js";
import { setText } from "./dom.js";
import { requestId } from "./http.js";
import { format } from "./page.js";
import { pollBook, pollVerdict } from "./poll.js";
import { voice } from "./voice.js";

var RESEND_MS = 2000; // a ballot lost while the connection stayed up goes again after this

function storage(token) {
  function key(pollId) { return "yishi.ballot." + pollId + "." + token; }
  return {
    get: function (pollId) {
      try {
        return JSON.parse(window.sessionStorage.getItem(key(pollId)) || "{}") || {};
      } catch (error) {
        return {};
      }
    },
    put: function (pollId, entry) {
      try {
        window.sessionStorage.setItem(key(pollId), JSON.stringify(entry));
      } catch (error) {
        // Private browsing without storage: the ballot still goes, only a resend gets a new id.
      }
    },
  };
}

/**
 * `data` is the phone's page data ({token, poll, voted, ballot_texts, lang, eligible, proxy_for});
 * returns {poll(snapshot), counted(ballot), join(answer), attach(live)} for static/js/phone.js.
 */
export function phoneBallot(data, section) {
  var texts = data.ballot_texts;
  var store = storage(data.token);
  var book = pollBook();
  var live = null;

  function submit(poll, choices) {
    var entry = store.get(poll.id);
    var pending = entry.pending;
    if (!pending || pending.choices.join("\n") !== choices.join("\n")) {
      pending = { client_id: requestId(), choices: choices };
    }
    entry.pending = pending;
    store.put(poll.id, entry);
    return live.send("ballot.cast", {
      token: data.token, poll_id: poll.id, choices: choices, client_id: pending.client_id,
    }).then(function (answer) {
      store.put(poll.id, {
        receipt: answer.receipt, choices: choices, replaced: answer.replaced,
        unit_note: answer.unit_note || null,
      });
      return answer;
    }, function (error) {
      if (!error.lost) {
        delete entry.pending;
        store.put(poll.id, entry);
      } else if (live.joined()) {
        // Unanswered while the connection stayed up (a box swamped by a whole hall rejoining
        // after the access point restarted): it goes again soon, with its id, rather than
        // waiting for a reconnect that may never come. A ballot already counted is answered
        // with its receipt.
        window.setTimeout(resendWaiting, RESEND_MS);
      }
      throw error;
    });
  }

  function resendWaiting() {
    var shown = book.current();
    var entry = shown ? store.get(shown.id) : {};
    if (shown && shown.status === "open" && entry.pending && ballot.waiting() && live.joined()) {
      ballot.castAgain(entry.pending.choices);
    }
  }

  var received = document.querySelector('[data-testid="ballot-received"]');
  var ballot = ballotView(section, {
    texts: texts,
    lang: data.lang,
    submit: submit,
    canVote: data.eligible,
    changeAfterReceipt: true,
    resend: true,
    onStep: function (step) {
      document.body.dataset.ballot = step;
      // A screen reader hears that the ballot was received (and its receipt code) once.
      setText(received, step === "receipt" && ballot ? format(data.ballot_received, {
        code: String(ballot.receipt() || "").split("").join(" "),
      }) : "");
      voice.shown();  // elder mode (the phone's 适老模式 switch) reads each new step
    },
  });
  voice.setReader(function () { return ballot.readout(true); });
  if (data.proxy_for) ballot.voter(format(texts.proxy, { name: data.proxy_for }));

  /** A screen reader hears the poll open (with its question) and close (with the verdict). */
  var announcer = document.querySelector('[data-testid="ballot-announce"]');
  function announce(poll) {
    setText(announcer, !poll ? ""
      : poll.status === "open" ? format(data.poll_announce, { question: poll.question })
        : texts.closed + " " + pollVerdict(poll, texts).text);
  }

  /** Show the poll in view; `voted` is the server's word on this attendee (join answers). */
  function render(voted) {
    var poll = book.current();
    var entry = poll ? store.get(poll.id) : {};
    var situation = {};
    if (poll && (voted || poll.status !== "open") && entry.receipt) {
      situation = {
        receipt: entry.receipt, choices: entry.choices, replaced: entry.replaced, countedBy: entry.by,
        unitNote: entry.unit_note,
      };
    }
    situation.voted = Boolean(voted);
    ballot.show(poll, situation);
    announce(poll);
    return entry;
  }

  /** The server's word on this voter's named ballot ({poll_id, receipt, choices, channel}):
   *  what is counted under their receipt, perhaps a later ballot on another channel. */
  function counted(ballot) {
    if (!ballot) return;
    var entry = store.get(ballot.poll_id);
    // A ballot still waiting to go again stays, unless the server counts the same choices.
    var pending = entry.pending && entry.pending.choices.join("\n") !== ballot.choices.join("\n")
      ? entry.pending : undefined;
    store.put(ballot.poll_id, {
      receipt: ballot.receipt, choices: ballot.choices, replaced: entry.replaced, unit_note: entry.unit_note,
      by: ballot.channel !== "phone" ? ballot.channel : null, pending: pending,
    });
  }

  book.add(data.poll);
  counted(data.counted);
  render(data.voted || Boolean(data.counted));

  return {
    poll: function (snapshot) {
      if (book.add(snapshot)) render(false);
    },
    /** "ballot.counted": a later ballot of this voter, on another channel, counts now. */
    counted: function (ballot) {
      counted(ballot);
      var shown = book.current();
      if (shown && shown.id === ballot.poll_id) render(true);
    },
    join: function (answer) {
      book.add(answer.poll);
      counted(answer.counted);
      var shown = book.current();
      var entry = render(Boolean(answer.voted && shown && answer.poll && shown.id === answer.poll.id));
      // A ballot sent while the connection was down goes again, with its id: counted once.
      if (shown && shown.status === "open" && entry.pending) ballot.castAgain(entry.pending.choices);
    },
    attach: function (handle) { live = handle; },
  };
}
