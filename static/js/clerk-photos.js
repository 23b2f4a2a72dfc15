// The clerk desk's photographs of the room while a vote is open: the paper cards held up, read
// on the server; from a file (a phone on the hall's Wi-Fi) or, on localhost/https, a webcam.
// Under them, the cards seen (in a secret vote only their numbers), those seen but unclear,
// those handed out but not seen, and the problems.

import { failed, say } from "./clerk-desk.js";
import { el, field, setText } from "./dom.js";
import { request } from "./http.js";
import { format } from "./page.js";
import { optionLabel } from "./poll.js";

var PHOTO_TIMEOUT_MS = 120000; // a phone on the hall's Wi-Fi may take a while to send a photo
var CARD_ANSWERS = { A: "for", B: "against", C: "abstain" };

/**
 * The photos part of the voting view. `page` is the desk's page data, `voting` the view's
 * (words, texts); `openPoll()` the vote open now. Returns {show(poll)}.
 */
export function cardPhotos({ page, voting, openPoll }) {
  var words = voting.words;
  var t = voting.texts;
  var root = document.querySelector('[data-testid="clerk-voting"]');
  var testid = function (name) { return root.querySelector('[data-testid="' + name + '"]'); };
  var photoInput = testid("card-photo-input");
  var shownSummaryFor = null;

  function pollUrl(poll, rest) { return "/api/v1/polls/" + poll.id + rest; }

  function cardMeaning(poll, letter) {
    var option = poll.kind === "yes_no" ? CARD_ANSWERS[letter] : poll.options["ABCD".indexOf(letter)];
    return option ? optionLabel(poll, option, words) : "?";
  }

  function show(poll) {
    photoInput.disabled = !poll;
    field(root, "photo-label").setAttribute("aria-disabled", String(!poll));
    var legend = poll ? format(t.legend, {
      answers: (poll.kind === "yes_no" ? ["A", "B", "C"] : ["A", "B", "C", "D"].slice(0, poll.options.length))
        .map(function (letter) { return letter + " " + cardMeaning(poll, letter); }).join(" · "),
    }) : t.photos_need_open_poll;
    setText(field(root, "legend"), legend);
    if (poll && shownSummaryFor !== poll.id) loadSummary(poll);
  }

  function progress(text, isError) {
    var node = testid("photo-progress");
    setText(node, text);
    node.classList.toggle("is-error", Boolean(isError));
  }

  function problemText(problem) {
    if (problem.message) return problem.message;
    var values = {
      number: problem.number !== undefined ? problem.number : problem.card,
      name: problem.name || "",
      channel: words.channels[problem.channel] || problem.channel || "",
    };
    var code = problem.problem || problem.code;
    var key = {
      unassigned: "problem_unassigned", no_such_answer: "problem_no_such_answer",
      already_voted: "problem_already_voted", later_ballot_counts: "problem_later_ballot",
    }[code];
    return format(t[key || "problem_other"], values);
  }

  function cardItem(card) {
    return el("li", { "data-card": String(card.number) }, [el("b", { className: "card-no", text: String(card.number) }), " " + (card.name || "")]);
  }

  /** What the photos read so far. In a secret vote only which cards were seen (the server
   *  sends no answers then): nobody at the desk is shown who chose what. */
  function renderSummary(poll, summary) {
    shownSummaryFor = poll.id;
    var box = testid("card-summary");
    var seen = summary.seen || [];
    var unclear = summary.unclear || [];
    var missing = summary.missing || [];
    var problems = summary.problems || [];
    box.hidden = false;
    setText(field(box, "seen-title"), format(t.seen, { num: seen.length }));
    field(box, "secret-note").hidden = !summary.secret;
    field(box, "seen-table").hidden = Boolean(summary.secret);
    var numbers = testid("cards-seen-numbers");
    numbers.hidden = !(summary.secret && seen.length > 0);
    numbers.replaceChildren.apply(numbers, summary.secret ? seen.map(cardItem) : []);
    var unclearTitle = field(box, "unclear-title");
    setText(unclearTitle, format(t.unclear, { num: unclear.length }));
    unclearTitle.hidden = !unclear.length;
    var blurred = testid("cards-unclear");
    blurred.hidden = !unclear.length;
    blurred.replaceChildren.apply(blurred, unclear.map(cardItem));
    var wontCount = problems.map(function (problem) { return problem.number !== undefined ? problem.number : problem.card; });
    var body = testid("cards-seen").querySelector("tbody");
    body.replaceChildren.apply(body, summary.secret ? [] : seen.map(function (card) {
      return el("tr", {
        "data-card": String(card.number), "data-answer": card.answer,
        "data-counts": String(wontCount.indexOf(card.number) < 0),
      }, [
        el("th", { scope: "row", text: String(card.number) }),
        el("td", { text: card.name || "" }),
        el("td", {}, [
          el("b", { className: "card-letter", text: card.answer }),
          " " + (card.choice ? optionLabel(poll, card.choice, words) : cardMeaning(poll, card.answer)),
        ]),
      ]);
    }));
    setText(field(box, "missing-title"), format(t.missing, { num: missing.length }));
    var absent = testid("cards-missing");
    absent.replaceChildren.apply(absent, missing.length ? missing.map(cardItem)
      : [el("li", { className: "empty", text: t.nobody_missing })]);
    field(box, "problems-title").hidden = !problems.length;
    var trouble = testid("cards-problems");
    trouble.replaceChildren.apply(trouble, problems.map(function (problem) { return el("li", { text: problemText(problem) }); }));
  }

  function loadSummary(poll) {
    shownSummaryFor = poll.id;
    request(pollUrl(poll, "/cards")).then(function (summary) {
      if (summary.photos) renderSummary(poll, summary);
    }, failed);
  }

  /** Send one photo (multipart, field "photo"); resolves the summary of the cards seen so far. */
  function upload(poll, file) {
    var body = new FormData();
    body.append("photo", file, file.name || "photo.jpg");
    return request(pollUrl(poll, "/photos"), { method: "POST", body: body, timeout: PHOTO_TIMEOUT_MS });
  }

  /** Photos in the order taken, one after the other (the latest photo wins for each card). */
  function send(files) {
    var poll = openPoll();
    if (!poll || !files.length) {
      if (!poll) progress(t.photos_need_open_poll, true);
      return;
    }
    var read = 0;
    var failures = [];
    files.reduce(function (previous, file, index) {
      return previous.then(function () {
        progress(format(t.uploading, { num: index + 1, total: files.length }));
        return upload(poll, file).then(
          function (summary) { read += 1; renderSummary(poll, summary); },
          function (error) {
            failures.push(format(t.photo_failed, { num: index + 1, message: error.message || page.texts.failed }));
          }
        );
      });
    }, Promise.resolve()).then(function () {
      progress([format(t.uploaded, { num: read })].concat(failures).join(" "), failures.length > 0);
    });
  }

  photoInput.addEventListener("change", function () {
    var files = Array.prototype.slice.call(photoInput.files);
    photoInput.value = "";  // the same file can be chosen again
    send(files);
  });

  // A webcam works only on https or localhost; a phone on the hall's Wi-Fi uses the file input.
  var stream = null;
  var cameraBox = field(root, "webcam");
  var video = field(root, "video");
  var canUseCamera = window.isSecureContext && navigator.mediaDevices && navigator.mediaDevices.getUserMedia;
  testid("webcam-start").hidden = !canUseCamera;

  function stopCamera() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.srcObject = null;
    cameraBox.hidden = true;
  }
  root.addEventListener("click", function (event) {
    var target = event.target.closest("[data-action]");
    if (!target) return;
    if (target.dataset.action === "camera") {
      navigator.mediaDevices.getUserMedia({
        video: { facingMode: "environment", width: { ideal: 1920 }, height: { ideal: 1080 } }, audio: false,
      }).then(function (given) {
        stream = given;
        video.srcObject = given;
        video.play();
        cameraBox.hidden = false;
      }, function (error) { say(format(t.camera_failed, { message: error.message || error.name }), true); });
    } else if (target.dataset.action === "camera-off") {
      stopCamera();
    } else if (target.dataset.action === "snap" && stream) {
      var canvas = document.createElement("canvas");
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      canvas.getContext("2d").drawImage(video, 0, 0);
      canvas.toBlob(function (blob) {
        if (blob) send([new File([blob], "webcam-" + Date.now() + ".jpg", { type: "image/jpeg" })]);
      }, "image/jpeg", 0.92);
    }
  });

  return { show: show };
}
