// Finding the person at a shared screen, the kiosk or the voting booth: pinyin initials on an A–Z
// keyboard, the building, unit and room, or (at the kiosk) the name typed; then the last 4 digits
// of their phone on a keypad. It keeps what was typed, and forgets it on reset().

import { request } from "../js/http.js";
import { format } from "../js/page.js";
import { AddressPicker } from "./address.js";
import { clearResults, showNote, showResults } from "./results.js";

const SEARCH_DELAY_MS = 150;
const TAIL_LENGTH = 4;
const TYPED_MAX = 24;

/** Show what was typed (letters, a room number), or the field's hint when nothing is. */
function renderTyped(element, text) {
  element.textContent = text || element.dataset.empty;
  element.classList.toggle("empty", !text);
}

export class PersonFinder {
  /**
   * @param {object} options
   * @param {Screens} options.nav       the page's screens (screens.js)
   * @param {object} options.S          the page's strings
   * @param {number} options.meetingId
   * @param {string} options.searchUrl  the kiosk's search (GET ?meeting_id=&q= or &building=…)
   * @param {string} options.tailScreen the screen where the digits are typed
   * @param {(person: object) => void} [options.onPick]  a person was chosen: the tail screen's
   *   own lines can be filled before it shows
   * @param {(person: object, tail: string) => void} options.onTail  4 digits are typed
   */
  constructor({ nav, S, meetingId, searchUrl, tailScreen, onPick, onTail }) {
    Object.assign(this, { nav, S, meetingId, searchUrl, tailScreen, onPick, onTail });
    this.screens = nav.sections;
    this.address = new AddressPicker(this.screens.address, S, {
      search: (query, options) => this.search("address", query, options),
      searchSoon: (query, options) => this.searchSoon("address", query, options),
      cancelSearch: () => this.cancelSearch(),
      showTyped: renderTyped,
    });
    this.seq = 0;
    this.timer = 0;
    this.reset();
    if (this.screens.name) this.listenToName(this.part("name", "name-input"));
  }

  part(screen, role) {
    return this.nav.part(screen, role);
  }

  pane(screen) {
    return this.screens[screen].querySelector(".results-pane");
  }

  /** Nothing typed, nobody found or chosen; answers still on their way are dropped. */
  reset() {
    this.cancelSearch();
    this.typed = "";
    this.chosen = null;
    for (const screen of ["pinyin", "address", "name"]) {
      if (this.screens[screen]) clearResults(this.pane(screen));
    }
    if (this.screens.name) this.part("name", "name-input").value = "";
    renderTyped(this.part("pinyin", "typed"), "");
    this.part(this.tailScreen, "who-name").replaceChildren();
    this.part(this.tailScreen, "who-address").replaceChildren();
    this.clearTail();
    this.address.reset();
  }

  /** Open a way of finding someone, empty: what an earlier visit typed there is gone. */
  start(method) {
    this.reset();
    this.nav.show(method);
  }

  /** Forget the search waiting to be sent and any answer still on its way. */
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

  /** The name field: looked up after a pause in typing (not halfway through an IME's word). */
  listenToName(field) {
    const soon = () => this.searchSoon("name", { q: field.value.trim() });
    field.addEventListener("input", (event) => { if (!event.isComposing) soon(); });
    field.addEventListener("compositionend", soon);
    field.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.isComposing) this.search("name", { q: field.value.trim() });
    });
  }

  typeLetter(key) {
    if (key === "back") this.typed = this.typed.slice(0, -1);
    else if (key === "clear") this.typed = "";
    else if (this.typed.length < TYPED_MAX) this.typed += key.toLowerCase();
    renderTyped(this.part("pinyin", "typed"), this.typed.toUpperCase());
    this.searchSoon("pinyin", { q: this.typed });
  }

  /** This person is the one: on to their phone's last digits. */
  pick(person) {
    this.chosen = person;
    this.clearTail();
    this.part(this.tailScreen, "who-name").textContent = person.name;
    this.part(this.tailScreen, "who-address").textContent = person.address;
    this.onPick?.(person);
    this.nav.show(this.tailScreen);
  }

  renderTail() {
    this.part(this.tailScreen, "tail-boxes").querySelectorAll("span").forEach((box, i) => {
      box.classList.toggle("filled", i < this.tail.length);
    });
    this.part(this.tailScreen, "tail-count").textContent = format(this.S.tail_count, { n: this.tail.length });
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
        if (this.chosen === chosen && this.waiting) this.onTail(chosen, tail);
      }, 250);
    }
  }

  /** The digits are typed afresh (nothing said about why). */
  clearTail() {
    this.waiting = false;
    this.tail = "";
    this.renderTail();
    this.say("");
  }

  /** The server refused the digits (or the person): type them again, after these words. */
  refused(message) {
    this.clearTail();
    this.say(message);
  }

  /** A line on the tail screen: a refusal ("bad"), or that it is still trying ("wait"). */
  say(text, kind = "bad") {
    this.nav.say(this.tailScreen, text, kind);
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

  /** A key of a physical keyboard or keypad while `screen` shows: true when it typed on one of
   *  the finding screens' keypads (letters on the pinyin screen, digits on the keypads). */
  key(event, screen) {
    if (event.ctrlKey || event.altKey || event.metaKey) return false;
    if (event.target.closest?.("input, textarea")) return false;
    const key = event.key === "Backspace" ? "back" : event.key;
    const pad = this.padFor(screen, key);
    if (!pad) return false;
    event.preventDefault();
    this.type(pad, key.length === 1 ? key.toUpperCase() : key);
    return true;
  }

  /** Which keypad a physical key goes to on `screen`, or null. */
  padFor(screen, key) {
    const digit = /^\d$/.test(key) || key === "back";
    if (screen === "pinyin" && (/^[a-z]$/i.test(key) || key === "back")) return "letters";
    if (screen === this.tailScreen && digit) return "tail";
    if (screen === "address" && this.address.typingRoom && digit) return "room";
    return null;
  }
}
