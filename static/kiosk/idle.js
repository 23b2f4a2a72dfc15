// Idle reset: after `idleSeconds` without a touch or a key the kiosk starts over; the last
// `warningSeconds` of them show a warning that one tap (or any touch or key) extends.

const TICK_MS = 250;

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
