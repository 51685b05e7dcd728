// On every page of a signed-in member, online: keep today's daily papers on the device (at most every
// few hours, and again when the day has changed), send the offline queue, show what the server answered
// about it, and empty the device's store on logout (another member may use the same phone next).
(function () {
  "use strict";
  var root = document.documentElement;
  var member = root.dataset.member;
  if (!member || !("indexedDB" in window)) { return; }
  var store = window.offlineStore;
  var sync = window.offlineSync;
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var timeZone = root.dataset.timezone;
  var REFRESH_MS = 3 * 3600 * 1000;

  function showReady() {
    return store.paperOfToday(timeZone).then(function (paper) {
      document.querySelectorAll("[data-offline-ready]").forEach(function (hint) { hint.hidden = !paper; });
    });
  }

  function stale() {
    var today = store.localDay(new Date(), timeZone);
    return Promise.all([store.meta("fetchedAt"), store.meta("fetchedDay"), store.paperOfToday(timeZone)])
      .then(function (known) {
        var doneOnline = known[2] && document.querySelector("[data-daily-done]");  // its paper is spent
        return known[1] !== today || Date.now() - known[0] > REFRESH_MS || !!doneOnline;
      });
  }

  function prefetch() {
    return stale().then(function (due) {
      if (!due) { return null; }
      return fetch("/api/v1/daily/offline-papers", {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
        .then(function (body) { return store.replacePapers(body.papers); })
        .then(function () {
          return Promise.all([store.setMeta("fetchedAt", Date.now()),
                              store.setMeta("fetchedDay", store.localDay(new Date(), timeZone))]);
        });
    }).then(showReady, showReady);
  }

  // A different member on this device: nothing of the previous one may stay.
  function claimDevice() {
    return store.meta("member").then(function (previous) {
      return previous && previous !== member ? store.clear() : null;
    }).then(function () {
      return Promise.all([store.setMeta("member", member), store.setMeta("csrf", csrf)]);
    });
  }

  function showOutcomes() {
    var container = document.getElementById("offline-outcomes");
    if (!container) { return; }
    sync.onChange(function (queue, attempts) {
      sync.render(container, queue, attempts.filter(function (attempt) { return !attempt.dismissed; }), true);
    });
  }

  // Logging out empties the store: first the queue is sent if it can be; what cannot is the member's call.
  function clearOnLogout(form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.cleared || event.defaultPrevented) { return; }  // already cleared, or not confirmed (app.js)
      event.preventDefault();
      sync.run(csrf).then(function () { return store.all("queue"); }).then(function (queue) {
        if (queue.length && !window.confirm("还有 " + queue.length + " 条离线答案没有提交，退出后将从本机删除。确定退出吗？")) {
          return;
        }
        return store.clear().then(function () {
          localStorage.removeItem("quizapp.elder");
          form.dataset.cleared = "1";
          form.submit();
        });
      });
    });
  }

  localStorage.setItem("quizapp.elder", root.classList.contains("elder") ? "1" : "0");
  document.querySelectorAll("form[data-offline-clear]").forEach(clearOnLogout);
  claimDevice().then(function () {
    showOutcomes();
    sync.run(csrf);
    return prefetch();
  });
  window.addEventListener("online", function () { sync.run(csrf); });
})();
