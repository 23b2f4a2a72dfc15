// Finding someone by address: a building, then its unit (skipped when it has one), then the
// room on a digit keypad. What was chosen stays on top as a chip; tap it to choose again.

import { format } from "../js/page.js";
import { clearResults, showNote } from "./results.js";

const ROOM_MAX = 6;
const ROOM_LIVE_FROM = 3; // room numbers here have 3 or 4 digits: look them up as they come

export class AddressPicker {
  /**
   * @param {HTMLElement} section  the address screen
   * @param {object} S             the page's strings
   * @param {object} hooks         search(query, options) now, searchSoon(query, options) after
   *   a pause in typing, cancelSearch() for one no longer wanted, showTyped(element, text)
   */
  constructor(section, S, hooks) {
    this.section = section;
    this.S = S;
    this.hooks = hooks;
    this.pane = section.querySelector(".results-pane");
    this.roomShown = section.querySelector("[data-role='room']");
    this.reset();
  }

  /** Nothing chosen, nothing typed, nobody listed. */
  reset() {
    this.building = this.unit = null;
    this.room = "";
    this.hooks.showTyped(this.roomShown, "");
    this.stage("building");
    clearResults(this.pane);
  }

  /** Whether "back" should step back within the address (rather than leave it). */
  get started() {
    return Boolean(this.building);
  }

  get typingRoom() {
    return this.section.dataset.stage === "room";
  }

  stage(stage) {
    const { S } = this;
    this.section.dataset.stage = stage;
    this.section.querySelector("[data-role='address-title']").textContent = {
      building: S.choose_building, unit: S.choose_unit, room: S.type_room,
    }[stage];
    for (const block of this.section.querySelectorAll("[data-stage-of]")) {
      block.hidden = block.dataset.stageOf !== stage
        || (stage === "unit" && block.dataset.unitsOf !== this.building);
    }
    const chips = [["change-building", this.building, S.change_building],
      ["change-unit", this.unit, S.change_unit]];
    for (const [action, value, label] of chips) {
      const chip = this.section.querySelector(`[data-action="${action}"]`);
      chip.hidden = !value;
      chip.textContent = value ? `${value} ✎` : "";
      chip.setAttribute("aria-label", value ? `${label}: ${value}` : label);
    }
  }

  unitsOf(building) {
    const block = this.section.querySelector(`[data-units-of="${CSS.escape(building)}"]`);
    return block ? [...block.querySelectorAll("[data-unit]")].map((b) => b.dataset.unit) : [];
  }

  chooseBuilding(building) {
    this.building = building;
    this.unit = null;
    const units = this.unitsOf(building);
    if (units.length === 1) this.chooseUnit(units[0]);
    else this.stage("unit");
  }

  chooseUnit(unit) {
    this.unit = unit;
    this.room = "";
    this.hooks.showTyped(this.roomShown, "");
    this.stage("room");
    showNote(this.pane, this.S.room_more);
  }

  /** One step back: from the room to the unit (or the building), from the unit to the building. */
  back() {
    this.change(this.unit && this.unitsOf(this.building).length > 1 ? "unit" : "building");
  }

  /** Choose the building (or the unit) again. */
  change(stage) {
    if (stage === "building") this.building = null;
    this.unit = null;
    this.room = "";
    this.hooks.cancelSearch();
    this.stage(stage);
    clearResults(this.pane);
  }

  typeRoom(key) {
    if (key === "back") this.room = this.room.slice(0, -1);
    else if (key === "clear") this.room = "";
    else if (this.room.length < ROOM_MAX) this.room += key;
    this.hooks.showTyped(this.roomShown, this.room);
    if (this.room.length >= ROOM_LIVE_FROM) {
      this.hooks.searchSoon(this.query(), { noneText: this.S.room_more });
    } else {
      this.hooks.cancelSearch();
      showNote(this.pane, this.S.room_more);
    }
  }

  /** "Find" was tapped: look the room up now, and say so plainly when nobody lives there. */
  find() {
    if (!this.room) {
      showNote(this.pane, this.S.room_more);
      return;
    }
    const address = `${this.building}${this.unit}${this.room}`;
    this.hooks.search(this.query(), { noneText: format(this.S.room_none, { address }) });
  }

  query() {
    return { building: this.building, unit: this.unit, room: this.room };
  }
}
