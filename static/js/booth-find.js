// Finding the voter at the booth, as at the kiosk: pinyin initials on an A–Z keyboard, or the
// building, unit and room; then the last 4 digits of the phone. The kiosk's modules do the work
// (static/kiosk/*, reused as they are); this keeps what the voter typed, and forgets it on reset().

import { AddressPicker } from "../kiosk/address.js";
import { clearResults, showNote, showResults } from "../kiosk/results.js";
import { request } from "./http.js";
import { format } from "./page.js";

const SEARCH_DELAY_MS = 150;
const TAIL_LENGTH = 4;

export class VoterFinder {
  /**
   * @param {object} options
   * @param {Object<string, HTMLElement>} options.screens  the booth's screens by name
   * @param {object} options.S          the page's strings
   * @param {number} options.meetingId
   * @param {string} options.searchUrl  the kiosk's search (GET ?meeting_id=&q= or &building=…)
   * @param {(name: string) => void} options.show        go to a screen
   * @param {(memberId: number, tail: string) => void} options.onTail  4 digits are typed
   */
  constructor({ screens, S, meetingId, searchUrl, show, onTail }) {
    Object.assign(this, { screens, S, meetingId, searchUrl, show, onTail });
    this.address = new AddressPicker(screens.address, S, {
      search: (query, options) => this.search("address", query, options),
      searchSoon: (query, options) => this.searchSoon("address", query, options),
      cancelSearch: () => this.cancelSearch(),
      showTyped: renderTyped,
    });
    this.seq = 0;
    this.timer = 0;
    this.reset();
  }

  part(screen, role) {
    return this.screens[screen].querySelector(`[data-role="${role}"]`);
  }

  pane(screen) {
    return this.screens[screen].querySelector(".results-pane");
  }

  /** Nothing typed, nobody found or chosen; answers still on their way are dropped. */
  reset() {
    this.cancelSearch();
    this.typed = "";
    this.tail = "";
    this.chosen = null;
    this.waiting = false;
    for (const screen of ["pinyin", "address"]) clearResults(this.pane(screen));
    renderTyped(this.part("pinyin", "typed"), "");
    this.part("tail", "who-name").replaceChildren();
    this.part("tail", "who-address").replaceChildren();
    this.renderTail();
    this.address.reset();
  }

  /** Open a way of finding a name, empty. */
  start(method) {
    this.reset();
    this.show(method);
  }

  cancelSearch() {
    window.clearTimeout(this.timer);
    this.seq += 1;
  }

  searchSoon(screen, query, options) {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.search(screen, query, options), SEARCH_DELAY_MS);
  }

  async search(screen, query, { noneText = this.S.none } = {}) {
    window.clearTimeout(this.timer);
    const seq = ++this.seq;
    if (!Object.values(query).some(Boolean)) {
      clearResults(this.pane(screen));
      return;
    }
    let found = null;
    let failure = null;
    try {
      found = await request(this.searchUrl, { query: { meeting_id: this.meetingId, ...query } });
    } catch (error) {
      failure = error;
    }
    if (seq !== this.seq) return; // a newer search, or a reset, came in between
    const pane = this.pane(screen);
    if (failure) showNote(pane, failure.message || this.S.network);
    else if (found.results.length) showResults(pane, found.results, this.S, (p) => this.pick(p));
    else showNote(pane, noneText);
  }

  typeLetter(key) {
    if (key === "back") this.typed = this.typed.slice(0, -1);
    else if (key === "clear") this.typed = "";
    else if (this.typed.length < 24) this.typed += key.toLowerCase();
    renderTyped(this.part("pinyin", "typed"), this.typed.toUpperCase());
    this.searchSoon("pinyin", { q: this.typed });
  }

  pick(person) {
    this.chosen = person;
    this.tail = "";
    this.renderTail();
    this.say("");
    this.part("tail", "who-name").textContent = person.name;
    this.part("tail", "who-address").textContent = person.address;
    this.show("tail");
  }

  renderTail() {
    this.part("tail", "tail-boxes").querySelectorAll("span").forEach((box, i) => {
      box.classList.toggle("filled", i < this.tail.length);
    });
    this.part("tail", "tail-count").textContent = format(this.S.tail_count, { n: this.tail.length });
  }

  typeTail(key) {
    if (this.waiting) return;
    if (key === "back") this.tail = this.tail.slice(0, -1);
    else if (key === "clear") this.tail = "";
    else if (this.tail.length < TAIL_LENGTH) this.tail += key;
    this.say("");
    this.renderTail();
    if (this.tail.length === TAIL_LENGTH) {
      this.waiting = true;
      const { chosen, tail } = this;
      window.setTimeout(() => { // let the fourth dot show first
        if (this.chosen === chosen && this.waiting) this.onTail(chosen.id, tail);
      }, 250);
    }
  }

  /** The server refused the digits (or the person): type them again. */
  refused(message) {
    this.waiting = false;
    this.tail = "";
    this.renderTail();
    this.say(message);
  }

  say(text) {
    const message = this.part("tail", "message");
    message.textContent = text || "";
    message.hidden = !text;
  }

  /** A tap on a key, a building or a unit of the finding screens; false when not one of theirs. */
  tap(target) {
    if (target.dataset.building) this.address.chooseBuilding(target.dataset.building);
    else if (target.dataset.unit) this.address.chooseUnit(target.dataset.unit);
    else if (target.dataset.action === "change-building") this.address.change("building");
    else if (target.dataset.action === "change-unit") this.address.change("unit");
    else if (target.dataset.action === "find-room") this.address.find();
    else if (target.dataset.key) this.type(target.closest("[data-keypad]")?.dataset.keypad, target.dataset.key);
    else return false;
    return true;
  }

  /** A key from the screen's keys or a keyboard: letters, digits, "back", "clear". */
  type(pad, key) {
    ({
      letters: (k) => this.typeLetter(k),
      room: (k) => this.address.typeRoom(k),
      tail: (k) => this.typeTail(k),
    })[pad]?.(key);
  }

  /** Which keypad a physical key goes to on `screen`, or null. */
  padFor(screen, key) {
    const digit = /^\d$/.test(key) || key === "back";
    if (screen === "pinyin" && (/^[a-z]$/i.test(key) || key === "back")) return "letters";
    if (screen === "tail" && digit) return "tail";
    if (screen === "address" && this.address.typingRoom && digit) return "room";
    return null;
  }
}

function renderTyped(element, text) {
  element.textContent = text || element.dataset.empty;
  element.classList.toggle("empty", !text);
}
