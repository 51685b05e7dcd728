// The offline page: point to the offline daily quiz when today's paper is on the device.
(function () {
  "use strict";
  window.offlineStore.paperOfToday(document.documentElement.dataset.timezone).then(function (paper) {
    document.getElementById("offline-daily-link").hidden = !paper;
  });
})();
