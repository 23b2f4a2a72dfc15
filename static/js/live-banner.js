// The reconnecting state of a live screen (static/js/live.js): a small status banner at the top
// of the page, or its large form, a card over the whole screen.

/** The banner (created on first use, one a page). */
function banner() {
  let node = document.getElementById("live-banner");
  if (!node) {
    node = document.createElement("div");
    node.id = "live-banner";
    node.className = "live-banner";
    node.setAttribute("role", "status");
    node.setAttribute("aria-live", "polite");
    node.hidden = true;
    document.body.insertBefore(node, document.body.firstChild);
  }
  return node;
}

/**
 * The large form of the banner, for a screen read from across the room or by an elderly
 * visitor: the banner becomes the title of a card over a veil on the whole screen (which also
 * keeps fingers off a screen that cannot work), with a line saying what happens next.
 */
function overlay(detail) {
  let node = document.getElementById("live-overlay");
  if (!node) {
    const title = banner();
    title.removeAttribute("role");
    title.removeAttribute("aria-live");
    title.hidden = false;
    title.classList.add("live-banner-large");
    node = document.createElement("div");
    node.id = "live-overlay";
    node.className = "live-overlay";
    node.hidden = true;
    const card = document.createElement("div");
    card.className = "live-overlay-card";
    card.setAttribute("role", "status");
    card.setAttribute("aria-live", "assertive");
    const mark = document.createElement("span");
    mark.className = "live-overlay-mark";
    mark.setAttribute("aria-hidden", "true");
    const line = document.createElement("p");
    line.className = "live-overlay-detail";
    line.setAttribute("data-testid", "live-overlay-detail");
    card.append(mark, title, line);
    node.append(card);
    document.body.append(node);
  }
  if (detail !== undefined) {
    const words = node.querySelector(".live-overlay-detail");
    words.textContent = detail || "";
    words.hidden = !detail;
  }
  return node;
}

/**
 * The banner of one screen. `large`: the card over the whole screen; `texts.reconnecting_detail`
 * is its line under the title. Returns {show(text, error), detail(text)}.
 */
export function liveBanner({ large = false, texts = {} } = {}) {
  return {
    /** Show `text` (null hides it): the reconnecting state, or a refusal's words (`error`). */
    show(text, error = false) {
      const node = banner();
      node.textContent = text;
      node.classList.toggle("live-banner-error", Boolean(error));
      if (large) {
        const veil = overlay(error ? "" : texts.reconnecting_detail);
        veil.classList.toggle("live-overlay-error", Boolean(error));
        veil.hidden = text === null;
      } else {
        node.hidden = text === null;
      }
      document.documentElement.classList.toggle("live-offline", text !== null && !error);
    },
    /** Change the large form's detail line (undefined: back to the usual words). */
    detail(text) {
      if (large) overlay(text === undefined ? texts.reconnecting_detail : text);
    },
  };
}
