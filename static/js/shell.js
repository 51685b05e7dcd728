// The offline shell's pages (same for everyone): the device's 长辈版 choice, and the reload button.
(function () {
  "use strict";
  if (localStorage.getItem("quizapp.elder") === "1") { document.documentElement.classList.add("elder"); }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-reload]").forEach(function (button) {
      button.addEventListener("click", function () { window.location.reload(); });
    });
  });
})();
