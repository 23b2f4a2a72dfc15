/* The floor on every screen: each page counts a speech down by itself from the deadline in the
 * floor snapshot and its offset to the server's clock (meeting_room/domain/timer.py). The server
 * never ticks; a page re-reads its own clock a few times a second.
 * Needs static/js/live.js loaded first.
 */
(function () {
  "use strict";
  var Yishi = (window.Yishi = window.Yishi || {});

  /** Milliseconds since the epoch of an ISO 8601 moment (microseconds cut to milliseconds). */
  Yishi.parseTime = function (iso) {
    return iso ? Date.parse(String(iso).replace(/(\.\d{3})\d+/, "$1")) : NaN;
  };

  function pad(number) { return (number < 10 ? "0" : "") + number; }

  /** "1:45" left (ceiling of the seconds), "+0:12" over (floor): as timer.format_clock. */
  Yishi.formatClock = function (ms) {
    var over = ms < 0;
    var seconds = over ? Math.floor(-ms / 1000) : Math.ceil(ms / 1000);
    return (over ? "+" : "") + Math.floor(seconds / 60) + ":" + pad(seconds % 60);
  };

  /** A duration in whole seconds as "12:05" (or "1:02:05"). */
  Yishi.formatDuration = function (totalSeconds) {
    var s = Math.max(0, Math.round(totalSeconds));
    var hours = Math.floor(s / 3600);
    var minutes = Math.floor((s % 3600) / 60);
    return (hours ? hours + ":" + pad(minutes) : String(minutes)) + ":" + pad(s % 60);
  };

  /**
   * The server's clock as floor snapshots tell it: `sync(snapshot)` on each one that arrives
   * (its `server_now` is fresh), `now()` in server milliseconds, `read(snapshot)` for the
   * speech under way: {state, ms, text}. States: idle, running, paused, warning, overrun, stopped.
   */
  Yishi.floorClock = function (serverNowMs) {
    var offset = typeof serverNowMs === "number" ? serverNowMs - Date.now() : 0;
    function now() { return Date.now() + offset; }
    return {
      now: now,
      sync: function (snapshot) {
        var server = snapshot ? Yishi.parseTime(snapshot.server_now) : NaN;
        if (!isNaN(server)) offset = server - Date.now();
      },
      read: function (snapshot) {
        var speaker = snapshot && snapshot.speaker;
        if (!speaker) {
          var limit = snapshot ? snapshot.speech_limit_s * 1000 : 0;
          return { state: "idle", ms: limit, text: Yishi.formatClock(limit) };
        }
        var clock = speaker.clock;
        var ms = clock.phase === "running"
          ? Yishi.parseTime(clock.deadline) - now()
          : clock.paused_remaining_ms || 0;
        var state = clock.phase;
        if (state === "running" || state === "paused") {
          if (ms <= 0) state = "overrun";
          else if (state === "running" && ms <= snapshot.warning_s * 1000) state = "warning";
        }
        return { state: state, ms: ms, text: Yishi.formatClock(ms) };
      },
    };
  };

  /** Time an agenda item has been (or was) under discussion, in seconds. */
  Yishi.itemUsedSeconds = function (item, nowMs) {
    if (!item || !item.started_at) return 0;
    var end = item.finished_at ? Yishi.parseTime(item.finished_at) : nowMs;
    return Math.max(0, (end - Yishi.parseTime(item.started_at)) / 1000);
  };

  /** The item under discussion in a snapshot, or null. */
  Yishi.activeItem = function (snapshot) {
    if (!snapshot || snapshot.active_item_id === null) return null;
    return snapshot.agenda.filter(function (item) { return item.id === snapshot.active_item_id; })[0] || null;
  };

  /** Call `render` now and about five times a second (enough for a seconds display). */
  Yishi.everyTick = function (render) {
    render();
    return window.setInterval(render, 200);
  };

  /** Set a node's text only when it changed (no needless repaints on the wall). */
  Yishi.setText = function (node, value) {
    if (node && node.textContent !== String(value)) node.textContent = value;
  };

  /** A small element: el("span", {className: "x", dataset: {a: "b"}}, ["text", child]). */
  Yishi.el = function (tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      if (key === "dataset") Object.assign(node.dataset, props.dataset);
      else if (key === "attrs") {
        Object.keys(props.attrs).forEach(function (name) { node.setAttribute(name, props.attrs[name]); });
      } else node[key] = props[key];
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  };

  /** A stance (or point-of-order) badge in the page's words. */
  Yishi.stanceBadge = function (texts, stance, kind) {
    var orderPoint = kind === "point_of_order";
    return Yishi.el("span", {
      className: "stance-badge",
      dataset: { stance: orderPoint ? "point_of_order" : stance },
    }, [orderPoint ? texts.kinds.point_of_order : texts.stances[stance] || stance]);
  };
})();
