// A "select all" checkbox: <input data-select-all="NAME"> toggles every checkbox named NAME.
document.querySelectorAll("[data-select-all]").forEach(function (master) {
  master.addEventListener("change", function () {
    document.querySelectorAll('input[type=checkbox][name="' + master.dataset.selectAll + '"]')
      .forEach(function (box) { box.checked = master.checked; });
  });
});
