// The offline shell's pages (same for everyone): the device's 长辈版 choice, the reload button, and the
// link home, which goes to the offline page (data-home) when home cannot be reached.
(function () {
  "use strict";
  if (localStorage.getItem("quizapp.elder") === "1") { document.documentElement.classList.add("elder"); }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-reload]").forEach(function (button) {
      button.addEventListener("click", function () { window.location.reload(); });
    });
    document.querySelectorAll("a[data-home]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        fetch(link.href, {method: "HEAD", cache: "no-store"})
          .then(function (response) { window.location.href = response.ok ? link.href : link.dataset.home; },
                function () { window.location.href = link.dataset.home; });
      });
    });
  });
})();
