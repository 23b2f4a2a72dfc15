/* Yishi live screens: page data, message formatting, the server's clock, Socket.IO with resync.
 *
 * Every screen renders from versioned snapshots. On each (re)connect it sends "join" again and
 * applies the snapshot in the answer, so a screen that missed events while offline catches up.
 * A snapshot is applied only when its version is newer than the one the screen shows.
 * Needs static/vendor/socket.io.min.js loaded first (global `io`).
 */
(function () {
  "use strict";
  var Yishi = (window.Yishi = window.Yishi || {});

  /** The JSON blob a template renders into <script type="application/json" id="...">. */
  Yishi.pageData = function (id) {
    var node = document.getElementById(id || "page-data");
    return node ? JSON.parse(node.textContent) : {};
  };

  /** Fill "{name}" placeholders of a translated message. */
  Yishi.format = function (template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (whole, key) {
      return values && Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  };

  /** The server's clock, from its time (ms since epoch) written into the page when it was served. */
  Yishi.serverClock = function (serverNowMs) {
    var offset = typeof serverNowMs === "number" ? serverNowMs - Date.now() : 0;
    return {
      offset: offset,
      now: function () { return new Date(Date.now() + offset); },
    };
  };

  /** A small status banner at the top of the page (created on first use, shared by a page). */
  function banner() {
    var node = document.getElementById("live-banner");
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
    var node = document.getElementById("live-overlay");
    if (!node) {
      var title = banner();
      title.removeAttribute("role");
      title.removeAttribute("aria-live");
      title.hidden = false;
      title.classList.add("live-banner-large");
      node = document.createElement("div");
      node.id = "live-overlay";
      node.className = "live-overlay";
      node.hidden = true;
      var card = document.createElement("div");
      card.className = "live-overlay-card";
      card.setAttribute("role", "status");
      card.setAttribute("aria-live", "assertive");
      var mark = document.createElement("span");
      mark.className = "live-overlay-mark";
      mark.setAttribute("aria-hidden", "true");
      var line = document.createElement("p");
      line.className = "live-overlay-detail";
      line.setAttribute("data-testid", "live-overlay-detail");
      card.appendChild(mark);
      card.appendChild(title);
      card.appendChild(line);
      node.appendChild(card);
      document.body.appendChild(node);
    }
    if (detail !== undefined) {
      var words = node.querySelector(".live-overlay-detail");
      words.textContent = detail || "";
      words.hidden = !detail;
    }
    return node;
  }

  var REFUSED_RETRY_MS = 15000;  // a connection refused for being one too many: ask again then

  /**
   * Follow a namespace: connect, join with `options.join`, apply versioned snapshots.
   *
   * options.namespace   "/projector", "/clerk", "/kiosk", "/phone", "/booth" or "/moderator"
   * options.join        the join payload ({meeting_id} or {token})
   * options.version     the version of the snapshot the page was rendered with
   * options.versions    {eventName: version}: per-snapshot starting versions (else `version`)
   * options.snapshots   {eventName: handler(snapshot)}: applied from the join answer (same key)
   *                     and from events of that name, only when newer than the last snapshot
   *                     of that name (attendance and floor carry the same meeting version, so
   *                     each kind keeps its own)
   * options.on          {eventName: handler(payload)}: other events, passed through
   * options.onJoin      handler(answer) after each successful join
   * options.onError     handler(error {code, message}) when the server refuses the join, or
   *                     the connection itself in words (then it is asked again in a while)
   * options.texts       {reconnecting: "...", reconnecting_detail: "..."}: the banner's words,
   *                     in the page's language (the detail line only in the large form)
   * options.large       true: the large form (a card over the whole screen) instead of a banner
   * options.onOffline   handler() once the server has been out of reach for a second
   * options.onOnline    handler() when it is back (after the join answered)
   */
  Yishi.live = function (options) {
    var start = typeof options.version === "number" ? options.version : -1;
    var state = { versions: {}, joined: false, refused: false };
    Object.keys(options.snapshots || {}).forEach(function (name) {
      var given = options.versions && options.versions[name];
      state.versions[name] = typeof given === "number" ? given : start;
    });
    var texts = options.texts || {};
    var socket = window.io(options.namespace, { transports: ["websocket", "polling"] });
    var showTimer = null;

    var shown = false;  // the reconnecting state is on screen

    /** Show (or hide) the reconnecting state, or a refusal's words (`error`). */
    function display(text, error) {
      var node = banner();
      node.textContent = text;
      node.classList.toggle("live-banner-error", Boolean(error));
      if (options.large) {
        var veil = overlay(error ? "" : texts.reconnecting_detail);
        veil.classList.toggle("live-overlay-error", Boolean(error));
        veil.hidden = text === null;
      } else {
        node.hidden = text === null;
      }
      document.documentElement.classList.toggle("live-offline", text !== null && !error);
    }

    function offline() {
      state.joined = false;
      if (state.refused) return;  // the server said why in words: they stay on screen
      if (showTimer === null && !shown) {
        // A blink of the network is not worth a banner; a second without the server is.
        showTimer = window.setTimeout(function () {
          showTimer = null;
          shown = true;
          display(texts.reconnecting || "…", false);
          if (options.onOffline) options.onOffline();
        }, 1000);
      }
    }

    function online() {
      state.joined = true;
      state.refused = false;
      window.clearTimeout(showTimer);
      showTimer = null;
      var was = shown;
      shown = false;
      display(null, false);
      if (was && options.onOnline) options.onOnline();
    }

    function apply(name, snapshot) {
      if (!snapshot || typeof snapshot.version !== "number" || snapshot.version <= state.versions[name]) {
        return false;
      }
      state.versions[name] = snapshot.version;
      options.snapshots[name](snapshot);
      return true;
    }

    function join() {
      socket.emit("join", options.join, function (answer) {
        if (!answer || answer.error) {
          var error = (answer && answer.error) || { code: "no_answer", message: "" };
          window.clearTimeout(showTimer);
          showTimer = null;
          state.refused = Boolean(error.message);
          display(error.message || texts.reconnecting || "…", true);
          if (options.onError) options.onError(error);
          return;
        }
        online();
        Object.keys(options.snapshots || {}).forEach(function (name) {
          if (answer[name]) apply(name, answer[name]);
        });
        if (options.onJoin) options.onJoin(answer);
      });
    }

    Object.keys(options.snapshots || {}).forEach(function (name) {
      socket.on(name, function (snapshot) { apply(name, snapshot); });
    });
    Object.keys(options.on || {}).forEach(function (name) {
      socket.on(name, options.on[name]);
    });
    socket.on("connect", join);
    socket.on("disconnect", offline);
    socket.on("connect_error", function (error) {
      // The server refused the connection in words (too many connections from this network):
      // say them, and try again in a while (it does not retry by itself after a refusal).
      if (!socket.active && error && error.data && error.data.code) {
        window.clearTimeout(showTimer);
        showTimer = null;
        display(error.message, true);
        if (options.onError) options.onError({ code: error.data.code, message: error.message });
        window.setTimeout(function () { socket.connect(); }, REFUSED_RETRY_MS);
        return;
      }
      state.refused = false;
      offline();
    });
    offline();  // until the first join answers (the banner only shows if that takes a second)

    var handle = {
      socket: socket,
      /** The version shown of one kind of snapshot, or the newest of all. */
      version: function (name) {
        if (name) return state.versions[name];
        return Object.keys(state.versions).reduce(function (most, key) {
          return Math.max(most, state.versions[key]);
        }, start);
      },
      joined: function () { return state.joined; },
      /** True while the reconnecting state is on screen. */
      offline: function () { return shown; },
      /** Change the large form's detail line (e.g. "your vote is kept and sent when back"). */
      detail: function (text) {
        if (options.large) overlay(text === undefined ? texts.reconnecting_detail : text);
      },
      /** Apply a snapshot that came another way (an ack); same version rule. */
      apply: apply,
      /**
       * Send an event and wait for its ack: resolves the answer, rejects with {code, message}
       * (the server's error, or texts.failed when offline or unanswered within 8 s).
       */
      send: function (event, payload) {
        return new Promise(function (resolve, reject) {
          var failed = { code: "no_answer", message: texts.failed || texts.reconnecting || "…" };
          if (!socket.connected) {
            reject(failed);
            return;
          }
          socket.timeout(8000).emit(event, payload, function (late, answer) {
            if (late || !answer) reject(failed);
            else if (answer.error) reject(answer.error);
            else resolve(answer);
          });
        });
      },
    };
    (Yishi.connections = Yishi.connections || []).push(handle);  // for the console and tests
    return handle;
  };

  /** JSON over fetch; resolves the body, rejects with the API's {code, message}. */
  Yishi.api = function (method, url, body, fallbackMessage) {
    var init = { method: method, headers: { Accept: "application/json" } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return window.fetch(url, init).then(
      function (response) {
        return response.json().then(
          function (data) {
            if (!response.ok) {
              throw (data && data.error) || { code: String(response.status), message: fallbackMessage };
            }
            return data;
          },
          function () { throw { code: String(response.status), message: fallbackMessage }; }
        );
      },
      function () { throw { code: "network", message: fallbackMessage }; }
    );
  };
})();
