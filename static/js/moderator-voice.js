/* The moderator console's voice view: which announcements the screens make by themselves, and
 * each screen's volume and speech rate. A change is sent at once ("voice.settings" over
 * /moderator); the server stores it and tells the projectors and booths.
 */

import { say, send } from "./moderator.js";
import { pageData } from "./page.js";

var data = pageData();
var form = document.getElementById("voice-form");

function settings() {
  var announcements = {};
  form.querySelectorAll('input[name="announcement"]').forEach(function (box) {
    announcements[box.value] = box.checked;
  });
  var screens = {};
  form.querySelectorAll(".voice-screen").forEach(function (fieldset) {
    screens[fieldset.dataset.screen] = {
      volume: Number(fieldset.querySelector('[name="volume"]').value),
      rate: Number(fieldset.querySelector('[name="rate"]').value),
    };
  });
  return { announcements: announcements, screens: screens };
}

form.addEventListener("input", function (event) {
  var output = event.target.parentNode.querySelector("output");
  if (event.target.name === "volume" && output) output.value = event.target.value;
});
form.addEventListener("change", function (event) {
  if (event.target.name === "rate" && !event.target.checkValidity()) {
    event.target.reportValidity();
    return;
  }
  send("voice.settings", settings()).then(function () { say(data.voice_saved); }, function () {});
});
form.addEventListener("submit", function (event) { event.preventDefault(); });
