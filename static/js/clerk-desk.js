/* What every part of the clerk desk shares: its page data and words, the message line under the
 * header, the storage alarm, the clerk on duty, times in the hall's time zone. */

import { format, pageData } from "./page.js";

var CLERK_KEY = "yishi.clerk.name";

/** The desk's page data (meeting_id, urls, texts, lang, timezone, buildings, groups…). */
export var data = pageData();
/** The desk's words. */
export var t = data.texts;
/** The meeting's API (/api/v1/meetings/<id>). */
export var base = data.urls.meeting;

var timeFormat = new Intl.DateTimeFormat(data.lang, {
  timeZone: data.timezone, hour: "2-digit", minute: "2-digit", hourCycle: "h23",
});
var message = document.getElementById("desk-message");
var alarm = document.getElementById("storage-alarm");
var clerkInput = document.getElementById("clerk-name");

/** "14:05" in the hall's time zone ("" for no time). */
export function time(iso) { return iso ? timeFormat.format(new Date(iso)) : ""; }

/** One of the desk's words with its placeholders filled. */
export function fmt(key, values) { return format(t[key], values); }

/* Messages: one line under the header; errors are announced at once. */
export function say(text, isError) {
  message.textContent = text;
  message.classList.toggle("is-error", Boolean(isError));
  message.setAttribute("role", isError ? "alert" : "status");
  message.hidden = false;
}

/** A refusal in the server's words (else `fallback`); a storage failure raises the alarm too. */
export function failed(error, fallback) {
  if (error && String(error.code).indexOf("storage_") === 0) storageAlarm(error.code);
  say((error && error.message) || fallback || t.failed, true);
}

/* The database cannot take a write (full disk, read-only, disk error): a banner that stays
 * until the server says a write worked again (`code` null). */
export function storageAlarm(code) {
  alarm.textContent = code ? t[code] || t.storage_failed : "";
  alarm.hidden = !code;
}

/* The clerk on duty: typed once, remembered by this browser. */
clerkInput.value = window.localStorage.getItem(CLERK_KEY) || "";
clerkInput.addEventListener("input", function () {
  window.localStorage.setItem(CLERK_KEY, clerkInput.value.trim());
});

/** The clerk on duty, or "" after asking for their name. */
export function clerkName() {
  var name = clerkInput.value.trim();
  if (!name) {
    say(t.need_clerk_name, true);
    clerkInput.focus();
  }
  return name;
}
