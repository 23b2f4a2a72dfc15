/* The attendee's page: follows its meeting over /phone (status now; ballots in later issues). */
(function () {
  "use strict";
  var data = Yishi.pageData();
  var status = document.getElementById("meeting-status");

  Yishi.live({
    namespace: "/phone",
    join: { token: data.token },
    version: data.version,
    onJoin: function (answer) {
      if (answer.status && status.dataset.status !== answer.status) {
        status.dataset.status = answer.status;
        status.textContent = data.statuses[answer.status] || answer.status;
      }
    },
    texts: data.texts,
  });
})();
