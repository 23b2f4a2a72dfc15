/* The phone page's ratings of completed work: one tap on 1–5 sends the rating with this
 * attendee's personal code (the page's own), through the JSON API; a second tap replaces it. */

import { request } from "./http.js";
import { format, pageData } from "./page.js";

var data = pageData();
var texts = data.rate_texts || {};

Array.prototype.forEach.call(document.querySelectorAll(".phone-rate .rate-item"), function (item) {
  var result = item.querySelector(".rate-result");
  item.addEventListener("click", function (event) {
    var button = event.target.closest(".rate-star");
    if (!button) return;
    var stars = Number(button.dataset.stars);
    request("/api/v1/actions/" + item.dataset.action + "/ratings", {
      method: "POST",
      body: { token: data.token, stars: stars, comment: "" },
    }).then(function (answer) {
      item.querySelectorAll(".rate-star").forEach(function (other) {
        other.setAttribute("aria-pressed", String(other === button));
      });
      item.dataset.rated = "true";
      result.classList.remove("is-error");
      result.textContent = (answer.replaced ? texts.replaced : texts.thanks) + " "
        + format(texts.yours, { stars: stars });
    }, function (error) {
      result.classList.add("is-error");
      result.textContent = error.message || texts.failed;
    });
  });
});
