// Idle reset: after `idleSeconds` without a touch or a key the kiosk (or the booth) starts over;
// the last `warningSeconds` of them show a warning that one tap (or any touch or key) extends.

import { format } from "../js/page.js";

const TICK_MS = 250;

/**
 * The idle reset of a shared screen, its warning in `dialog` (a <dialog> whose
 * [data-role=idle-count] says how long is left; closing it, Escape too, extends).
 * @param {object} options
 * @param {HTMLElement} options.root        the screen: data-idle-seconds, data-idle-warning-seconds
 * @param {HTMLDialogElement} options.dialog
 * @param {string} options.countText        the count's words, "{n}" the seconds left
 * @param {() => boolean} options.isActive  false where there is nothing to clear
 * @param {() => void} options.onOpen       the warning has just opened (to read it aloud)
 * @param {() => void} options.onExpire     time is up: start over
 * Returns the IdleWatch: start() it; poke() it when the person says they are still there.
 */
export function idleWarning({ root, dialog, countText, isActive, onOpen, onExpire }) {
  const idle = new IdleWatch({
    idleSeconds: Number(root.dataset.idleSeconds),
    warningSeconds: Number(root.dataset.idleWarningSeconds),
    isActive,
    onWarn: (seconds) => {
      dialog.querySelector("[data-role=idle-count]").textContent = format(countText, { n: seconds });
      if (!dialog.open) {
        dialog.showModal();
        onOpen();
      }
    },
    onCalm: () => { if (dialog.open) dialog.close(); },
    onExpire,
  });
  dialog.addEventListener("cancel", () => idle.poke());
  return idle;
}

export class IdleWatch {
  /**
   * @param {object} options
   * @param {number} options.idleSeconds      idle time before the reset
   * @param {number} options.warningSeconds   how long before the reset the warning shows
   * @param {() => boolean} options.isActive  false on the start screen (nothing to clear)
   * @param {(secondsLeft: number) => void} options.onWarn
   * @param {() => void} options.onCalm       the warning is no longer needed
   * @param {() => void} options.onExpire     time is up: start over
   */
  constructor({ idleSeconds, warningSeconds, isActive, onWarn, onCalm, onExpire }) {
    this.idleMs = Math.max(1, idleSeconds) * 1000;
    this.warningMs = Math.min(Math.max(0, warningSeconds) * 1000, this.idleMs);
    this.isActive = isActive;
    this.onWarn = onWarn;
    this.onCalm = onCalm;
    this.onExpire = onExpire;
    this.last = Date.now();
    this.warning = false;
  }

  /** Listen to every touch, click and key, and start ticking. */
  start() {
    const poke = () => this.poke();
    for (const kind of ["pointerdown", "keydown", "input", "wheel"]) {
      document.addEventListener(kind, poke, { capture: true, passive: true });
    }
    window.setInterval(() => this.tick(), TICK_MS);
  }

  /** Someone is here: restart the count and drop the warning. */
  poke() {
    this.last = Date.now();
    if (this.warning) {
      this.warning = false;
      this.onCalm();
    }
  }

  tick() {
    if (!this.isActive()) {
      this.last = Date.now();
      return;
    }
    const left = this.idleMs - (Date.now() - this.last);
    if (left <= 0) {
      this.warning = false;
      this.last = Date.now();
      this.onExpire();
    } else if (left <= this.warningMs) {
      this.warning = true;
      this.onWarn(Math.ceil(left / 1000));
    }
  }
}
