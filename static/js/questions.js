// Question editor: show the option fields for choice questions, or while any option still holds text
// (a judge or fill question must not keep options, and the admin has to see them to clear them).
(function () {
  var type = document.querySelector("#question-form select[name=type]");
  var options = document.getElementById("question-options");
  if (!type || !options) { return; }
  function update() {
    var choice = type.value === "single" || type.value === "multiple";
    var filled = Array.prototype.some.call(options.querySelectorAll("input"), function (input) {
      return input.value.trim() !== "";
    });
    options.hidden = !choice && !filled;
  }
  type.addEventListener("change", update);
  update();
})();
