/* Every state-changing request to this box carries the page's CSRF token (Flask-WTF checks it).
 * Loaded first by base.html, so fetch() calls of every screen get the header without each
 * script having to remember it. */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (!meta || !window.fetch) return;
  var token = meta.getAttribute("content");
  var original = window.fetch.bind(window);
  var SAFE = /^(GET|HEAD|OPTIONS)$/i;

  function sameOrigin(url) {
    try {
      return new URL(url, window.location.href).origin === window.location.origin;
    } catch (error) {
      return false;
    }
  }

  window.fetch = function (input, init) {
    init = init || {};
    var method = init.method || (input && input.method) || "GET";
    var url = typeof input === "string" ? input : input && input.url;
    if (!SAFE.test(method) && sameOrigin(url)) {
      var headers = new Headers(init.headers || (input && input.headers) || {});
      if (!headers.has("X-CSRFToken")) headers.set("X-CSRFToken", token);
      init = Object.assign({}, init, { headers: headers });
    }
    return original(input, init);
  };
})();
