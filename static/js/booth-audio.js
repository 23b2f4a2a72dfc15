// The booth's audio ballot, for a voter who cannot see the screen: headphones and a keypad (any
// keyboard). The slip's QR code under the scanner says who votes; then 6 or ↓ reads the next
// option ("第一项，赞成"), 4 or ↑ the one before, 5 or Enter chooses, the choice is read back
// with how to confirm it (5) or choose again (4 or 6), and the receipt is spelt sign by sign.
// 0 repeats what was said last, * explains the keys, + and − set the voter's volume, 7 and 9
// their speech speed, / blanks the screen (and shows it again).
//
// A USB scanner "types" the slip's address too, a key every few milliseconds: a key counts as a
// command only when no other key follows it within KEY_GAP_MS, so a scan is never a vote.

import { format } from "./page.js";

const KEY_GAP_MS = 100;
const COMMANDS = {
  ArrowDown: "next", 6: "next", ArrowUp: "previous", 4: "previous",
  5: "choose", Enter: "choose", 0: "repeat", "*": "help", "+": "louder", "-": "softer",
  7: "slower", 9: "faster", "/": "blank",
};
// Also before a slip is scanned (and on a blank screen: these keys never show it again).
const ANYWHERE = new Set(["repeat", "help", "louder", "softer", "slower", "faster", "blank"]);

export class AudioBallot {
  /**
   * @param {object} options
   * @param {object} options.voice      the page's voice (static/js/voice.js)
   * @param {object} options.ballot     the booth's ballot (static/js/ballot.js)
   * @param {HTMLElement} options.ballotRoot  its section
   * @param {object} options.S          the booth's strings
   * @param {object} options.texts      the ballot's words (templates/_ballot.html)
   * @param {() => string} options.current      the screen in view
   * @param {() => HTMLElement} options.section the element whose words the screen says
   * @param {() => string} options.voterLine    who is voting, as the screen says it
   * @param {() => void} options.finish         the voter is done: start over
   * @param {() => void} options.changed        the voter's volume changed (to show it)
   * @param {(step: number) => void} options.pace  slower (-1) or faster (+1), said at the new speed
   * @param {() => void} options.blank          blank the screen, or show it again
   */
  constructor({ voice, ballot, ballotRoot, S, texts, current, section, voterLine, finish, changed, pace, blank }) {
    Object.assign(this, {
      voice, ballot, ballotRoot, S, texts, current, section, voterLine, finish, changed, pace, blank,
    });
    this.position = -1;
    this.quiet = false;
    this.pending = 0;
    // Capture on window runs before the scanner's listener (which may stop the Enter it ends on).
    window.addEventListener("keydown", () => window.clearTimeout(this.pending), true);
  }

  /** A new voter: no option in hand. */
  reset() {
    this.position = -1;
    this.quiet = false;
  }

  /** The words of the booth's screen; on the ballot, what the step says and which keys to press. */
  words(auto) {
    if (this.current() !== "vote") return this.voice.wordsOf(this.section(), auto);
    const step = this.ballot.step();
    const said = this.ballot.readout(false);
    if (step === "choose") return [this.voterLine(), ...said, this.S.keys_choose];
    if (step === "confirm") return [...said, this.S.keys_confirm];
    if (step === "receipt") return [...said, this.S.keys_receipt];
    if (step === "voted" || step === "result") return [...said, this.S.keys_done];
    return said;
  }

  /** The screen or the ballot's step changed: read it, unless a key already said what happened. */
  shown() {
    if (this.quiet) {
      this.quiet = false;
      return;
    }
    if (this.current() === "vote" && this.ballot.step() === "choose") this.position = -1;
    this.voice.shown();
  }

  /** A key pressed on the booth; true when it is one of the audio ballot's keys here. */
  key(event) {
    const command = COMMANDS[event.key];
    const screen = this.current();
    if (!command || event.ctrlKey || event.altKey || event.metaKey) return false;
    if (screen !== "vote" && !(ANYWHERE.has(command) && ["start", "waiting"].includes(screen))) {
      return false;
    }
    event.preventDefault(); // Enter must not also press the focused button, ↓ not scroll
    if (!event.repeat) this.pending = window.setTimeout(() => this.run(command), KEY_GAP_MS);
    return true;
  }

  run(command) {
    if (command === "repeat") this.voice.repeat();
    else if (command === "help") this.voice.read([this.S.keys_help]);
    else if (command === "slower" || command === "faster") this.pace(command === "faster" ? 1 : -1);
    else if (command === "blank") this.blank();
    else if (command === "louder" || command === "softer") {
      const level = command === "louder" ? this.voice.louder() : this.voice.softer();
      if (this.changed) this.changed();
      this.voice.read([format(this.S.volume, { n: level })]);
    } else if (this.current() === "vote") this.onBallot(command);
  }

  onBallot(command) {
    const step = this.ballot.step();
    const move = command === "next" ? 1 : command === "previous" ? -1 : 0;
    if (step === "choose") {
      if (move) this.move(move);
      else this.choose();
    } else if (step === "confirm") {
      if (move) this.again();
      else this.click('[data-action="cast"]');
    } else if (["receipt", "voted", "result", "none"].includes(step) && !move) {
      this.finish(); // "none": the practice is over, its words said
    }
  }

  move(step) {
    const choices = this.ballot.choices();
    this.position = Math.max(0, Math.min(choices.length - 1, this.position + step));
    choices[this.position].focus();
    this.voice.read([this.choiceWords(this.position)]);
  }

  choiceWords(index) {
    const poll = this.ballot.poll();
    if (index >= poll.options.length) return this.S.keys_next;
    const words = this.ballot.optionWords(index);
    const box = this.ballot.choices()[index].querySelector("input");
    return box && box.checked ? format(this.texts.ticked, { option: words }) : words;
  }

  choose() {
    const choices = this.ballot.choices();
    const picked = choices[this.position];
    if (!picked) {
      this.voice.read([this.S.keys_choose]);
      return;
    }
    const box = picked.querySelector("input");
    if (!box) {
      picked.click(); // a button: on to the confirm step, which reads the choice back
      return;
    }
    box.click(); // a choice poll with several answers: tick or untick, and say which
    const option = this.ballot.optionWords(this.position);
    this.voice.read([format(box.checked ? this.texts.ticked : this.texts.unticked, { option })]);
  }

  /** Back from the confirm step to the options, on the option that was chosen. */
  again() {
    const chosen = this.ballot.chosen();
    this.quiet = true;
    this.click('[data-action="back"]');
    const index = this.ballot.poll().options.indexOf(chosen[0]);
    this.position = index >= 0 ? index - 1 : -1;
    this.move(1);
  }

  click(selector) {
    this.ballotRoot.querySelector(selector).click();
  }
}
