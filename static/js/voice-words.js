// What the screens say, as text to read aloud (static/js/voice.js makes it heard): a screen's
// words as it shows them, sentences joined with the page's full stops, small numbers in words.

var english = /^en/.test(document.documentElement.lang);
var NUMERALS = "零一二三四五六七八九";

/** Parts as one utterance, each ending with a full stop unless it has its own. */
export function sentences(parts) {
  var done = [];
  (parts || []).forEach(function (part) {
    var text = String(part || "").replace(/\s+/g, " ").trim();
    if (!text) return;
    done.push(/[.!?。！？：:；;]$/.test(text) ? text : text + (english ? "." : "。"));
  });
  return done.join(english ? " " : "");
}

/** A small number as read in the page's language: 3 → "三" (zh), "3" (en). */
export function number(n) {
  if (english || n < 0 || n > 99) return String(n);
  if (n < 10) return NUMERALS[n];
  var tens = Math.floor(n / 10);
  return (tens > 1 ? NUMERALS[tens] : "") + "十" + (n % 10 ? NUMERALS[n % 10] : "");
}

function visible(element) {
  return Boolean(element.getClientRects().length) && !element.closest("[hidden], [aria-hidden='true']");
}

function spoken(element) {
  var label = element.getAttribute("data-read") || element.getAttribute("aria-label");
  if (label) return label;
  var words = "";
  var children = element.children.length ? Array.prototype.slice.call(element.children) : [element];
  children.forEach(function (child) {
    var text = child === element || visible(child) ? child.textContent.replace(/\s+/g, " ").trim() : "";
    if (!text) return;
    // A name, then its address: a pause between them, unless a sign already makes one.
    var pause = words && !/[，。：:；;！？!?,.]$/.test(words) ? (english ? ", " : "，") : "";
    words += pause + text;
  });
  return words;
}

// What a screen says: headings, lines, choices (a tile's label, a person found), a wide action.
var READABLE = "h1, h2, h3, p, dt, dd, figcaption, .tile-label, .choice, .result, .person, "
  + "button.wide-action, [data-read]";

/** The words of a screen: its headings, lines and choices, in order, as they are shown. */
export function wordsOf(root, auto) {
  if (!root) return [];
  var found = Array.prototype.slice.call(root.querySelectorAll(READABLE));
  return found.filter(function (element) {
    if (!visible(element) || element.closest(".visually-hidden, [data-read-skip]")) return false;
    if (auto && element.closest("[data-read-auto='skip']")) return false;
    var outer = element.parentElement && element.parentElement.closest(READABLE);
    return !(outer && root.contains(outer));  // a line inside a choice is said with it
  }).map(spoken);
}
