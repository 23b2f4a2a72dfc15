/* Second thoughts on the moderator console: a question before a step that cuts someone off or
 * sets a rule aside (a modal dialog, the safe answer focused), and a few seconds to take back a
 * speech ended by a stray key or click (the server gives it back with its time: speech.undo).
 */

import { format } from "./page.js";

var UNDO_MS = 10000;  // as domain/timer.py UNDO_WINDOW; the server allows a little more
var TICK_MS = 250;

var dialog = document.getElementById("confirm-dialog");
var pending = null;

/** Ask `question`; the button `yes` says what goes on, and only it runs `go()`. */
export function confirmStep(question, yes, go) {
  dialog.querySelector('[data-field="text"]').textContent = question;
  dialog.querySelector('[data-answer="yes"]').textContent = yes;
  pending = go;
  if (!dialog.open) dialog.showModal();
  dialog.querySelector('[data-answer="no"]').focus();
}

/** Whether a question is open (the console's keys wait for the answer). */
export function asking() { return dialog.open; }

dialog.addEventListener("click", function (event) {
  var answer = event.target.closest("[data-answer]");
  if (!answer) return;
  var go = answer.dataset.answer === "yes" ? pending : null;
  dialog.close();
  if (go) go();
});
dialog.addEventListener("close", function () { pending = null; });

var toast = document.querySelector('[data-testid="undo-toast"]');
var toastButton = toast.querySelector('[data-field="undo-button"]');
var offer = null;

/** Show `text` with an undo button counting down (`countText`: "{num}" the seconds) for
 *  UNDO_MS; `undo()` runs once if it is pressed in time. A newer offer replaces an older one. */
export function offerUndo(text, countText, undo) {
  withdrawUndo();
  var deadline = Date.now() + UNDO_MS;
  offer = { undo: undo, timer: window.setInterval(show, TICK_MS) };
  toast.querySelector('[data-field="undo-text"]').textContent = text;
  toast.hidden = false;
  show();

  function show() {
    var left = Math.ceil((deadline - Date.now()) / 1000);
    if (left <= 0) withdrawUndo();
    else toastButton.textContent = format(countText, { num: left });
  }
}

/** Take the offer off the screen (it ran out, was used, or the floor moved on). */
export function withdrawUndo() {
  if (offer) window.clearInterval(offer.timer);
  offer = null;
  toast.hidden = true;
}

toastButton.addEventListener("click", function () {
  var undo = offer && offer.undo;
  withdrawUndo();
  if (undo) undo();
});
