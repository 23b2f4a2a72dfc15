/* The notice board: the receipt checker, residents' ratings, and the lobby slideshow.
 *
 * The page is complete without this script; it adds the two forms' calls to the JSON API and,
 * with ?slideshow=1, shows one [data-slide] at a time, then reloads for fresh news.
 */

import { request } from "./http.js";
import { format, pageData } from "./page.js";

var data = pageData();
var texts = data.texts || {};
var TOKEN_KEY = "yishi.board.token";

function say(node, message, isError) {
  node.textContent = message;
  node.classList.toggle("is-error", Boolean(isError));
}

/** The personal code typed, or pasted as the whole address of the personal page (/v/<code>). */
function tokenOf(text) {
  var value = String(text || "").trim();
  var match = value.match(/\/v\/([^/?#\s]+)/);
  return match ? match[1] : value;
}

function setUpToken() {
  var input = document.getElementById("resident-token");
  if (!input) return null;
  var fromLink = window.location.hash.match(/token=([^&]+)/);
  if (fromLink) {
    input.value = decodeURIComponent(fromLink[1]);
    // The code leaves the address bar, so a screenshot or a shared link does not carry it.
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  } else {
    input.value = window.sessionStorage.getItem(TOKEN_KEY) || "";
  }
  input.addEventListener("change", function () {
    window.sessionStorage.setItem(TOKEN_KEY, tokenOf(input.value));
  });
  return input;
}

function ratingLine(rating) {
  var template = rating.count === 1 ? texts.rating_one : texts.rating_other;
  return format(template, { average: rating.average, count: rating.count });
}

function setUpRatings(tokenInput) {
  Array.prototype.forEach.call(document.querySelectorAll(".rate-form"), function (form) {
    var result = form.querySelector(".rate-result");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var token = tokenInput ? tokenOf(tokenInput.value) : "";
      var chosen = form.querySelector("input[type=radio]:checked");
      if (!token) {
        say(result, texts.need_token, true);
        if (tokenInput) tokenInput.focus();
        return;
      }
      if (!chosen) {
        say(result, texts.need_stars, true);
        return;
      }
      window.sessionStorage.setItem(TOKEN_KEY, token);
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      request("/api/v1/actions/" + form.dataset.action + "/ratings", {
        method: "POST",
        body: {
          token: token,
          stars: Number(chosen.value),
          comment: form.querySelector("textarea").value,
          channel: "board",
        },
      }).then(function (answer) {
        say(result, answer.replaced ? texts.replaced : texts.thanks, false);
        var line = form.closest(".action").querySelector(".rating");
        if (line) line.textContent = ratingLine(answer.rating);
      }, function (error) {
        say(result, error.message || texts.failed, true);
      }).then(function () { button.disabled = false; });
    });
  });
}

function setUpReceipts() {
  var form = document.getElementById("receipt-form");
  if (!form) return;
  var result = document.getElementById("receipt-result");
  var verdict = document.getElementById("receipt-verdict");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var poll = form.querySelector("#receipt-poll").value;
    // As the phone shows it ("TW5N X6AE"), in any case: the server reads it the same way.
    var code = form.querySelector("#receipt-code").value.replace(/[\s\-]+/g, "").toUpperCase();
    var shown = (data.polls || {})[poll] || { options: {}, verdict: "" };
    verdict.hidden = true;
    if (!code) return;
    request("/api/v1/polls/" + poll + "/receipts/" + encodeURIComponent(code))
      .then(function (answer) {
        if (answer.found) {
          var names = (answer.choices || []).map(function (c) { return shown.options[c] || c; });
          say(result, names.length
            ? format(texts.found_choice, { position: answer.entry.position, choice: names.join("、") })
            : format(texts.found, { position: answer.entry.position, text: answer.entry.text }), false);
          if (shown.verdict) {
            verdict.textContent = format(texts.result, { verdict: shown.verdict });
            verdict.hidden = false;
          }
        } else {
          say(result, texts.not_found, true);
        }
      }, function (error) { say(result, error.message || texts.failed, true); });
  });
}

function slideshow() {
  var slides = Array.prototype.slice.call(document.querySelectorAll("[data-slide]"));
  var sections = Array.prototype.slice.call(document.querySelectorAll(".board-section"));
  var counter = document.getElementById("slide-count");
  var seconds = Math.max(3, Number(data.slide_seconds) || 15);
  var index = 0;
  if (!slides.length) {
    window.setTimeout(function () { window.location.reload(); }, 60000);
    return;
  }
  function show() {
    var current = slides[index];
    slides.forEach(function (slide) { slide.hidden = slide !== current; });
    sections.forEach(function (section) { section.hidden = !section.contains(current); });
    counter.textContent = format(texts.slide, { current: index + 1, total: slides.length });
    document.documentElement.dataset.slideNumber = String(index + 1);
  }
  show();
  window.setInterval(function () {
    if (index + 1 >= slides.length) {
      window.location.reload();  // fresh results and progress for the next round
      return;
    }
    index += 1;
    show();
  }, seconds * 1000);
}

if (data.slideshow) {
  slideshow();
} else {
  setUpRatings(setUpToken());
  setUpReceipts();
}
