// Taking a quiz: autosave each answer, move between questions, confirm submit, count down.
// Everything here is an enhancement: without JavaScript the form posts do the same.
(function () {
  "use strict";
  var root = document.getElementById("quiz");
  if (!root) { return; }
  var form = document.getElementById("answer-form");
  var status = document.getElementById("save-status");
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var autosave = root.dataset.autosave === "1";
  var total = parseInt(root.dataset.total, 10);
  var answered = parseInt(root.dataset.answered, 10);
  var position = parseInt(form.elements.position.value, 10);
  var pending = Promise.resolve(true);
  var timer = null;

  function given() {
    var blanks = form.querySelectorAll('input[name="blank"]');
    if (blanks.length) { return Array.prototype.map.call(blanks, function (input) { return input.value; }); }
    var judge = form.querySelector('input[name="judge"]:checked');
    if (form.querySelector('input[name="judge"]')) { return judge ? judge.value === "true" : null; }
    return Array.prototype.map.call(form.querySelectorAll('input[name="choice"]:checked'), function (input) { return input.value; });
  }

  function show(text, bad) {
    status.textContent = text;
    status.classList.toggle("text-danger", !!bad);
  }

  // The answer card holds which questions are answered; the counts follow from it.
  function markCard(isAnswered) {
    var cell = form.querySelector('[data-goto="' + position + '"]');
    cell.classList.toggle("btn-success", isAnswered);
    cell.classList.toggle("btn-outline-secondary", !isAnswered);
    answered = form.querySelectorAll(".answer-grid .btn-success").length;
    document.getElementById("answered-count").textContent = answered;
    document.getElementById("card-count").textContent = answered;
    document.getElementById("progress-bar").style.width = Math.round(100 * answered / total) + "%";
  }

  // byEdit: the member changed the answer on this page, so an emptied answer is meant (clear: true).
  // Moving on sends the answer without it: the server then keeps a saved answer that this page lacks.
  function save(byEdit) {
    show("正在保存…");
    pending = pending.then(function () {
      return fetch(root.dataset.saveUrl, {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf},
        body: JSON.stringify({given: given(), clear: !!byEdit})
      }).then(function (response) {
        return response.json().then(function (body) {
          if (body.finished && body.result_url) { window.location.href = body.result_url; return false; }
          if (!response.ok) { show(body.error || "保存失败，请重试", true); return false; }
          markCard(body.answered);
          show("已自动保存");
          return true;
        });
      }).catch(function () { show("网络中断，答案尚未保存；恢复网络后请再作答一次", true); return false; });
    });
    return pending;
  }

  function go(target) {
    var url = new URL(root.dataset.takeUrl, window.location.href);
    url.searchParams.set("q", target);
    window.location.href = url.toString();
  }

  function askSubmit() {
    var left = total - answered;
    if (left <= 0) { document.getElementById("submit-form").submit(); return; }
    document.getElementById("unanswered-count").textContent = left;
    bootstrap.Modal.getOrCreateInstance(document.getElementById("submit-modal")).show();
  }

  if (autosave) {
    form.addEventListener("change", function () { clearTimeout(timer); timer = null; save(true); });
    form.addEventListener("input", function (event) {
      if (event.target.name !== "blank") { return; }
      clearTimeout(timer);
      timer = setTimeout(function () { timer = null; save(true); }, 800);
    });
    form.addEventListener("submit", function (event) {
      var action = event.submitter ? event.submitter.value : "next";
      var target = {next: position + 1, prev: position - 1}[action];
      if (action.indexOf("goto-") === 0) { target = parseInt(action.slice(5), 10); }
      if (action !== "submit" && !target) { return; }
      event.preventDefault();
      var typing = timer !== null;  // a blank edited within the last 800 ms is still the member's edit
      clearTimeout(timer);
      timer = null;
      save(typing).then(function (ok) {
        if (!ok) { return; }
        if (action === "submit") { askSubmit(); } else { go(target); }
      });
    });
    document.getElementById("confirm-submit").addEventListener("click", function () {
      document.getElementById("submit-form").submit();
    });
  }

  // A page restored from the back-forward cache shows the answers of its first visit: fetch it anew.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { window.location.reload(); }
  });

  var countdown = document.getElementById("countdown");
  if (countdown) {
    var ends = Date.now() + parseInt(countdown.dataset.remaining, 10) * 1000;
    var tick = function () {
      var left = Math.max(0, Math.round((ends - Date.now()) / 1000));
      var text = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      countdown.textContent = "剩余 " + text;
      countdown.classList.toggle("urgent", left <= 60);
      // At zero the server finalises the attempt on the next request; reload to be sent to the result.
      if (left === 0) { clearInterval(interval); setTimeout(function () { window.location.reload(); }, 1000); }
    };
    var interval = setInterval(tick, 1000);
    tick();
  }
})();
