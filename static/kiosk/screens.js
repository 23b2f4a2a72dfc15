// The screens of a shared touch screen (the kiosk, the voting booth): one <section data-screen>
// shown at a time, "Back" through those shown before, and each screen's parts and message line.

export class Screens {
  /**
   * @param {HTMLElement} root  holds the sections; its data-current names the one shown and its
   *   .bar-back is the way back
   * @param {object} options
   * @param {string[]} options.noBack      the screens without a way back
   * @param {boolean} [options.focusField] a screen with a text field gives it the focus
   * @param {() => void} options.onShow    after each change (elder mode reads the new screen)
   */
  constructor(root, { noBack, focusField = false, onShow }) {
    this.root = root;
    this.sections = Object.fromEntries(
      [...root.querySelectorAll("section[data-screen]")].map((s) => [s.dataset.screen, s]),
    );
    this.backButton = root.querySelector(".bar-back");
    Object.assign(this, { noBack, focusField, onShow });
    this.history = [];
  }

  get current() {
    return this.root.dataset.current;
  }

  /** Show the screen `name`; `remember`: "Back" returns to the one shown now. */
  show(name, { remember = true } = {}) {
    if (remember && this.current !== name) this.history.push(this.current);
    for (const [key, section] of Object.entries(this.sections)) section.hidden = key !== name;
    this.root.dataset.current = name;
    this.backButton.hidden = this.noBack.includes(name);
    const section = this.sections[name];
    const field = this.focusField ? section.querySelector("input") : null;
    (field || section).focus({ preventScroll: true });
    window.scrollTo(0, 0);
    this.onShow();
  }

  /** The screen shown before (`fallback` when none), no longer remembered. */
  previous(fallback = "start") {
    return this.history.pop() || fallback;
  }

  /** A new person: no way back to what the last one saw. */
  forget() {
    this.history = [];
  }

  /** An element of a screen by its data-role. */
  part(screen, role) {
    return this.sections[screen].querySelector(`[data-role="${role}"]`);
  }

  /** A screen's message line: a refusal ("bad"), or that it is still trying ("wait"). */
  say(screen, text, kind = "bad") {
    const message = this.part(screen, "message");
    message.textContent = text || "";
    message.className = `message ${kind}`;
    message.hidden = !text;
  }
}
