// Progress pages: the date fields of the period selector show only for a custom range,
// and choosing a named period submits at once. Without JavaScript every field stays visible.
(function () {
  "use strict";
  document.querySelectorAll("[data-period-form]").forEach(function (form) {
    var select = form.querySelector("select[name=period]");
    var custom = form.querySelectorAll("[data-custom-range]");
    function sync() {
      custom.forEach(function (field) { field.hidden = select.value !== "custom"; });
    }
    select.addEventListener("change", function () {
      sync();
      if (select.value !== "custom") { form.submit(); }
    });
    sync();
  });
})();
