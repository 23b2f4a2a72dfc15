/* The phone page's ratings of completed work and its answer to the hall's open satisfaction
 * survey: a tap on 1–5 chooses, a comment may follow, "send" records it with this attendee's
 * personal code (the page's own) through the JSON API, once: the buttons are then off. */

import { request } from "./http.js";
import { format, pageData } from "./page.js";

var data = pageData();
var texts = data.rate_texts || {};

Array.prototype.forEach.call(document.querySelectorAll(".phone-rate .rate-item"), function (item) {
  var result = item.querySelector(".rate-result");
  var more = item.querySelector(".rate-more");
  var chosen = 0;
  function say(words, bad) {
    result.classList.toggle("is-error", Boolean(bad));
    result.textContent = words;
  }
  item.addEventListener("click", function (event) {
    var star = event.target.closest(".rate-star");
    if (star && !star.disabled) {
      chosen = Number(star.dataset.stars);
      item.querySelectorAll(".rate-star").forEach(function (other) {
        other.setAttribute("aria-pressed", String(other === star));
      });
      if (more) more.hidden = false;
      return;
    }
    var send = event.target.closest(".rate-send");
    if (!send) return;
    if (!chosen) {
      say(texts.need_stars, true);
      return;
    }
    var comment = item.querySelector(".rate-comment").value;
    var survey = item.dataset.kind === "survey";
    var url = survey
      ? "/api/v1/surveys/" + item.dataset.survey + "/answers"
      : "/api/v1/actions/" + item.dataset.action + "/ratings";
    send.disabled = true;
    request(url, {
      method: "POST",
      body: { token: data.token, stars: chosen, comment: comment, channel: "phone" },
    }).then(function () {
      item.dataset.rated = "true";
      item.querySelectorAll(".rate-star").forEach(function (other) { other.disabled = true; });
      if (more) more.hidden = true;
      say(texts.thanks + " " + format(texts.yours, { stars: chosen }), false);
    }, function (error) {
      send.disabled = false;
      say(error.message || texts.failed, true);
    });
  });
});
