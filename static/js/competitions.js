// Competitions: live boards (polling the JSON endpoint), countdowns, the big screen's full-screen
// button, confirmations, and showing only the form fields that apply. Pages work without it.
(function () {
  "use strict";

  function cell(text, className) {
    var td = document.createElement("td");
    td.textContent = text;
    if (className) td.className = className;
    return td;
  }

  // Columns as rendered by templates/competitions/_macros.html.
  var COLUMNS = {
    people: function (row) {
      return [cell(row.rank, "text-center"), cell(row.name), cell(row.group, "text-muted small d-none d-sm-table-cell"),
              cell(row.score, "text-end"), cell(row.time, "text-end small")];
    },
    branches: function (row) {
      return [cell(row.rank, "text-center"), cell(row.name), cell(row.participants + "/" + row.members, "text-end d-none d-sm-table-cell"),
              cell(row.average, "text-end"), cell(row.rate, "text-end"), cell(row.index, "text-end fw-bold")];
    }
  };

  function fillTable(table, rows, kind, meId) {
    if (!table) return;
    var body = table.tBodies[0];
    var before = body.textContent;
    body.replaceChildren();
    rows.forEach(function (row) {
      var tr = document.createElement("tr");
      COLUMNS[kind](row).forEach(function (td) { tr.appendChild(td); });
      if (meId && String(row.user_id) === meId) tr.className = "table-warning fw-bold";
      body.appendChild(tr);
    });
    if (!rows.length) {
      var empty = document.createElement("tr");
      empty.appendChild(cell(kind === "people" ? "还没有人交卷" : "暂无", "text-muted small"));
      empty.firstChild.colSpan = kind === "people" ? 5 : 6;
      body.appendChild(empty);
    }
    if (body.textContent !== before) {
      table.classList.add("board-changed");
      setTimeout(function () { table.classList.remove("board-changed"); }, 800);
    }
  }

  function formatRemaining(seconds) {
    var h = Math.floor(seconds / 3600), m = Math.floor(seconds % 3600 / 60), s = seconds % 60;
    return h + ":" + String(m).padStart(2, "0") + ":" + String(s).padStart(2, "0");
  }

  function startCountdown(root) {
    var clock = root.querySelector("[data-countdown]");
    if (!clock) return;
    setInterval(function () {
      var left = Math.max(0, parseInt(clock.dataset.countdown, 10) - 1);
      clock.dataset.countdown = left;
      clock.textContent = formatRemaining(left);
    }, 1000);
  }

  function show(root, selector, visible) {
    var node = root.querySelector(selector);
    if (node) node.classList.toggle("d-none", !visible);
  }

  function render(root, data) {
    var meId = root.dataset.me;
    root.querySelectorAll("[data-field]").forEach(function (node) {
      var value = node.dataset.field.split(".").reduce(function (obj, key) { return obj ? obj[key] : ""; }, data);
      node.textContent = value === undefined || value === null ? "" : value;
    });
    var clock = root.querySelector("[data-countdown]");
    if (clock) {
      clock.dataset.countdown = data.remaining_s;
      clock.textContent = formatRemaining(data.remaining_s);
    }
    var label = root.querySelector("[data-countdown-label]");
    if (label) label.textContent = data.state === "scheduled" || data.state === "draft" ? "距开始" : "剩余时间";
    show(root, "[data-hidden-note]", data.hidden);
    show(root, "[data-board-body]", !data.hidden);
    show(root, "[data-me-card]", !!data.me);
    fillTable(root.querySelector("#board-top"), data.top, "people", meId);
    fillTable(root.querySelector("#board-around"), data.around, "people", meId);
    fillTable(root.querySelector("#board-branches"), data.branches.slice(0, root.classList.contains("screen") ? 10 : undefined), "branches");
  }

  function poll(root) {
    var url = root.dataset.boardUrl, interval = parseInt(root.dataset.interval, 10) || 5000;
    function tick() {
      fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data) render(root, data); })
        .catch(function () { /* keep the last board; try again next tick */ })
        .finally(function () { setTimeout(tick, interval); });
    }
    setTimeout(tick, interval);
  }

  var board = document.querySelector("[data-board-url]");
  if (board) {
    startCountdown(board);
    poll(board);
  }

  var fullscreen = document.querySelector("[data-fullscreen]");
  if (fullscreen && document.documentElement.requestFullscreen) {
    fullscreen.addEventListener("click", function () {
      if (document.fullscreenElement) document.exitFullscreen(); else document.documentElement.requestFullscreen();
    });
  } else if (fullscreen) {
    fullscreen.classList.add("d-none");
  }

  // The competition form: show the scope groups and the paper fields that the chosen options need.
  var form = document.getElementById("competition-form");
  if (form) {
    var update = function () {
      form.querySelectorAll("[data-show-when]").forEach(function (node) {
        var parts = node.dataset.showWhen.split("="), checked = form.querySelector("input[name='" + parts[0] + "']:checked");
        node.classList.toggle("d-none", !!checked && checked.value !== parts[1]);
      });
    };
    form.addEventListener("change", update);
    update();
  }
})();
