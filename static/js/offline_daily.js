// The offline daily quiz: today's paper from the device, one question at a time. Each answer is kept
// on the device at once (a reload keeps it) and queued for the server; 交卷 queues the submission.
// The queue is sent when the network returns (offline_sync.js); the server's answer is shown here.
(function () {
  "use strict";
  var store = window.offlineStore;
  var sync = window.offlineSync;
  var form = document.getElementById("answer-form");
  var area = document.getElementById("answer-area");
  var paper = null;
  var sheet = null;
  var timer = null;

  function $(id) { return document.getElementById(id); }

  function question() { return paper.questions[sheet.position - 1]; }

  function isAnswered(given) {
    if (given === null || given === undefined) { return false; }
    if (Array.isArray(given)) { return given.some(function (value) { return value.trim() !== ""; }); }
    return true;
  }

  // The answer on the form, in the API's shapes: letters, true/false, one text per blank; null when empty.
  function given() {
    var type = question().type;
    if (type === "fill") {
      var blanks = Array.prototype.map.call(form.querySelectorAll('input[name="blank"]'), function (input) { return input.value; });
      return isAnswered(blanks) ? blanks : null;
    }
    if (type === "judge") {
      var judged = form.querySelector('input[name="judge"]:checked');
      return judged ? judged.value === "true" : null;
    }
    var letters = Array.prototype.map.call(form.querySelectorAll('input[name="choice"]:checked'), function (input) { return input.value; });
    return letters.length ? letters : null;
  }

  function fromTemplate(id) { return $(id).content.firstElementChild.cloneNode(true); }

  function renderAnswerArea(item, answer, locked) {
    area.textContent = "";
    var group = document.createElement("div");
    group.className = "list-group quiz-options";
    if (item.type === "single" || item.type === "multiple") {
      item.options.forEach(function (option) {
        var row = fromTemplate("option-template");
        var input = row.querySelector("input");
        input.type = item.type === "multiple" ? "checkbox" : "radio";
        input.value = option.letter;
        input.checked = (answer || []).indexOf(option.letter) >= 0;
        row.querySelector(".quiz-letter").textContent = option.letter;
        row.querySelector(".flex-fill").textContent = option.text;
        group.appendChild(row);
      });
    } else if (item.type === "judge") {
      [[true, "正确"], [false, "错误"]].forEach(function (pair) {
        var row = fromTemplate("judge-template");
        var input = row.querySelector("input");
        input.value = String(pair[0]);
        input.checked = answer === pair[0];
        row.querySelector("span").textContent = pair[1];
        group.appendChild(row);
      });
    } else {
      group = document.createDocumentFragment();
      for (var blank = 0; blank < Math.max(item.blanks, 1); blank += 1) {
        var field = fromTemplate("blank-template");
        var id = "blank-" + (blank + 1);
        field.querySelector("label").textContent = "第 " + (blank + 1) + " 空";
        field.querySelector("label").htmlFor = id;
        field.querySelector("input").id = id;
        field.querySelector("input").value = (answer || [])[blank] || "";
        group.appendChild(field);
      }
    }
    area.appendChild(group);
    area.querySelectorAll("input").forEach(function (input) { input.disabled = locked; });
  }

  function renderCard() {
    var grid = $("answer-grid");
    grid.textContent = "";
    var answered = 0;
    paper.questions.forEach(function (item) {
      var done = isAnswered(sheet.given[item.position]);
      answered += done ? 1 : 0;
      var cell = document.createElement("button");
      cell.type = "button";
      cell.className = "btn " + (done ? "btn-success" : "btn-outline-secondary") + (item.position === sheet.position ? " current" : "");
      cell.textContent = item.position;
      cell.dataset.goto = item.position;
      cell.setAttribute("aria-label", "第 " + item.position + " 题" + (done ? "（已答）" : "（未答）"));
      grid.appendChild(cell);
    });
    var total = paper.questions.length;
    $("answered-count").textContent = answered;
    $("card-count").textContent = answered;
    $("progress-bar").style.width = Math.round(100 * answered / total) + "%";
    $("progress").setAttribute("aria-valuenow", answered);
    return answered;
  }

  function render() {
    var item = question();
    var total = paper.questions.length;
    $("quiz").hidden = false;
    $("paper-title").textContent = paper.title + "（离线）";
    $("position").textContent = sheet.position;
    $("total").textContent = total;
    $("card-total").textContent = total;
    $("progress").setAttribute("aria-valuemax", total);
    $("type-label").textContent = item.type_label;
    $("stem").textContent = item.stem;
    $("multiple-hint").hidden = item.type !== "multiple";
    renderAnswerArea(item, sheet.given[item.position], sheet.submitted);
    renderCard();
    form.querySelector('[data-move="-1"]').disabled = sheet.position === 1;
    form.querySelector('[data-move="1"]').hidden = sheet.position === total;
    form.querySelector(".quiz-nav [data-submit]").hidden = sheet.position !== total || sheet.submitted;
    form.querySelectorAll("[data-submit]").forEach(function (button) { button.disabled = sheet.submitted; });
    $("submitted-note").hidden = !sheet.submitted;
    form.querySelector(".answer-card").open = sheet.position === total;
  }

  function remember() {
    var answer = given();
    sheet.given[question().position] = answer;
    $("save-status").textContent = "正在保存…";
    return store.put("sheets", sheet)
      .then(function () { return store.enqueue(sheet.token, "save", {position: question().position, given: answer}); })
      .then(function () { $("save-status").textContent = "已保存在本机"; renderCard(); queued(); },
            function () { $("save-status").textContent = "本机保存失败，请再作答一次"; });
  }

  function move(position) {
    sheet.position = position;
    store.put("sheets", sheet);
    render();
    window.scrollTo(0, 0);
  }

  function submit() {
    sheet.submitted = true;
    return store.put("sheets", sheet)
      .then(function () { return store.enqueue(sheet.token, "submit"); })
      .then(function () { render(); queued(); });
  }

  function askSubmit() {
    var left = paper.questions.length - renderCard();
    if (left <= 0) { submit(); return; }
    $("unanswered-count").textContent = left;
    bootstrap.Modal.getOrCreateInstance($("submit-modal")).show();
  }

  function flush() {
    if (timer === null) { return; }
    clearTimeout(timer);
    timer = null;
    remember();
  }

  function storedCsrf() { return store.meta("csrf"); }

  function sendIfOnline() {
    if (navigator.onLine) { storedCsrf().then(sync.run); }
  }

  function queued() {
    sync.refresh();
    sendIfOnline();
  }

  function showQueue(queue, attempts, loginNeeded) {
    var waiting = queue.filter(function (item) { return item.kind !== "start"; }).length;
    $("queue-count").textContent = waiting;
    $("offline-state").textContent = !navigator.onLine ? "离线：答案已保存在本机，联网后自动提交"
      : loginNeeded ? "答案已保存在本机：请先登录，登录后自动提交" : "正在提交本机保存的答案…";
    $("offline-banner").hidden = !waiting && navigator.onLine;
    var mine = attempts.filter(function (attempt) { return paper && attempt.token === paper.token; });
    sync.render($("offline-outcomes"), queue, mine, false);
    if (mine.length && (mine[0].submitted || mine[0].finished)) { $("quiz").hidden = true; $("submitted-note").hidden = true; }
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "blank") { flush(); return; }
    remember();
  });
  form.addEventListener("input", function (event) {
    if (event.target.name !== "blank") { return; }
    clearTimeout(timer);
    timer = setTimeout(function () { timer = null; remember(); }, 800);
  });
  form.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) { return; }
    flush();
    if (button.dataset.move) { move(sheet.position + parseInt(button.dataset.move, 10)); }
    if (button.dataset.goto) { move(parseInt(button.dataset.goto, 10)); }
    if (button.hasAttribute("data-submit")) { askSubmit(); }
  });
  $("confirm-submit").addEventListener("click", function () {
    bootstrap.Modal.getOrCreateInstance($("submit-modal")).hide();
    submit();
  });
  window.addEventListener("online", function () { sync.refresh(); sendIfOnline(); });
  window.addEventListener("offline", sync.refresh);

  store.paperOfToday(document.documentElement.dataset.timezone).then(function (found) {
    paper = found;
    if (!paper) { $("no-paper").hidden = false; return null; }
    return store.get("sheets", paper.token).then(function (kept) {
      sheet = kept || {token: paper.token, day: paper.day, given: {}, position: 1, submitted: false};
      render();
    });
  }).then(function () {
    sync.onChange(showQueue);
    sendIfOnline();
  });
})();
