// The one live connection every screen uses: Socket.IO with join on connect, versions, the
// reconnecting banner and acks with a timeout.
//
// Every screen renders from versioned snapshots. On each (re)connect it sends "join" again and
// applies the snapshot in the answer, so a screen that missed events while offline catches up.
// A snapshot is applied only when its version is newer than the one the screen shows.
// Needs static/vendor/socket.io.min.js loaded first (the global `io`), with a classic <script>.

import { RequestError } from "./http.js";
import { liveBanner } from "./live-banner.js";

const ACK_TIMEOUT_MS = 8000; // an event unanswered this long is counted as lost
const BANNER_AFTER_MS = 1000; // a blink of the network is not worth a banner; a second is
const REFUSED_RETRY_MS = 15000; // a connection refused for being one too many: ask again then
const RECONNECT_MAX_MS = 3000; // the longest pause between two tries to reconnect (±50 %)

/** Every connection of the page, in the order made (for the browser's console and tests). */
export const connections = [];

/**
 * Follow a namespace: connect, join with `options.join`, apply versioned snapshots.
 *
 * options.namespace   "/projector", "/clerk", "/kiosk", "/phone", "/booth" or "/moderator"
 * options.join        the join payload ({meeting_id} or {token})
 * options.joinEvent   the event that joins (default "join"; e.g. "period.join")
 * options.version     the version of the snapshot the page was rendered with
 * options.versions    {eventName: version}: per-snapshot starting versions (else `version`)
 * options.snapshots   {eventName: handler(snapshot)}: applied from the join answer (same key)
 *                     and from events of that name, only when newer than the last snapshot
 *                     of that name (attendance and floor carry the same meeting version, so
 *                     each kind keeps its own)
 * options.on          {eventName: handler(payload)}: other events, passed through
 * options.onJoin      handler(answer) after each successful join
 *                     (a part of the screen added later uses the handle's on() and onJoin())
 * options.texts       {reconnecting: "...", reconnecting_detail: "..."}: the banner's words,
 *                     in the page's language (the detail line only in the large form)
 * options.large       true: the large form (a card over the whole screen) instead of a banner
 * options.onOffline   handler() once the server has been out of reach for a second
 */
export function connect(options) {
  const start = typeof options.version === "number" ? options.version : -1;
  const snapshots = options.snapshots || {};
  const versions = {};
  for (const name of Object.keys(snapshots)) {
    const given = options.versions && options.versions[name];
    versions[name] = typeof given === "number" ? given : start;
  }
  const texts = options.texts || {};
  const banner = liveBanner({ large: options.large, texts });
  // Socket.IO retries after 1 s, then up to RECONNECT_MAX_MS (its default 5 s, ±50 %): a hall's
  // access point that restarted is back for every screen within a few seconds (issue 19).
  const socket = window.io(options.namespace, {
    transports: ["websocket", "polling"],
    reconnectionDelayMax: RECONNECT_MAX_MS,
  });
  const joinHandlers = options.onJoin ? [options.onJoin] : [];
  let joined = false;
  let showTimer = null;
  let shown = false; // the reconnecting state is on screen
  let refused = false; // the server said why in words: they stay on screen

  function offline() {
    joined = false;
    if (refused) return;
    if (showTimer === null && !shown) {
      showTimer = window.setTimeout(() => {
        showTimer = null;
        shown = true;
        banner.show(texts.reconnecting || "…");
        if (options.onOffline) options.onOffline();
      }, BANNER_AFTER_MS);
    }
  }

  function online() {
    joined = true;
    refused = false;
    window.clearTimeout(showTimer);
    showTimer = null;
    shown = false;
    banner.show(null);
  }

  function apply(name, snapshot) {
    if (!snapshot || typeof snapshot.version !== "number" || snapshot.version <= versions[name]) {
      return false;
    }
    versions[name] = snapshot.version;
    snapshots[name](snapshot);
    return true;
  }

  function join() {
    socket.emit(options.joinEvent || "join", options.join, (answer) => {
      if (!answer || answer.error) {
        const error = (answer && answer.error) || {};
        window.clearTimeout(showTimer);
        showTimer = null;
        refused = Boolean(error.message);
        banner.show(error.message || texts.reconnecting || "…", true);
        return;
      }
      online();
      for (const name of Object.keys(snapshots)) {
        if (answer[name]) apply(name, answer[name]);
      }
      for (const handler of joinHandlers) handler(answer);
    });
  }

  for (const name of Object.keys(snapshots)) socket.on(name, (snapshot) => apply(name, snapshot));
  for (const [name, handler] of Object.entries(options.on || {})) socket.on(name, handler);
  socket.on("connect", join);
  socket.on("disconnect", offline);
  socket.on("connect_error", (error) => {
    // The server refused the connection in words (too many connections from this network):
    // say them, and try again in a while (Socket.IO does not retry by itself after a refusal).
    if (!socket.active && error && error.data && error.data.code) {
      window.clearTimeout(showTimer);
      showTimer = null;
      refused = true;
      banner.show(error.message, true);
      window.setTimeout(() => socket.connect(), REFUSED_RETRY_MS);
      return;
    }
    refused = false;
    offline();
  });
  offline(); // until the first join answers (the banner only shows if that takes a second)

  const handle = {
    socket,
    /** The version shown of one kind of snapshot, or the newest of all. */
    version(name) {
      if (name) return versions[name];
      return Object.values(versions).reduce((most, version) => Math.max(most, version), start);
    },
    joined: () => joined,
    /** True while the reconnecting state is on screen. */
    offline: () => shown,
    /** Change the large form's detail line (e.g. "your vote is kept and sent when back"). */
    detail: (text) => banner.detail(text),
    /** Apply a snapshot that came another way (an ack); same version rule. */
    apply,
    /** Pass the events `name` to `handler(payload)` too. */
    on(name, handler) {
      socket.on(name, handler);
    },
    /** Call `handler(answer)` after each successful join (the first one and every rejoin). */
    onJoin(handler) {
      joinHandlers.push(handler);
    },
    /**
     * Send an event and wait for its ack: resolves the answer, rejects with a RequestError
     * (static/js/http.js): the server's refusal, or lost when offline or unanswered within 8 s.
     */
    send(event, payload) {
      return new Promise((resolve, reject) => {
        if (!socket.connected) {
          reject(RequestError.lost());
          return;
        }
        socket.timeout(ACK_TIMEOUT_MS).emit(event, payload, (late, answer) => {
          if (late || !answer) reject(RequestError.lost());
          else if (answer.error) reject(new RequestError(answer.error.code, answer.error.message));
          else resolve(answer);
        });
      });
    },
  };
  connections.push(handle);
  return handle;
}
