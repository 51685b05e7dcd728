// Sends the offline queue when the network is there, in order: start the offline attempt of a paper,
// save each answer, submit. Every request carries its own Idempotency-Key and is sent again with the
// same key until the server gives a definite answer (2xx, or a 4xx that is reported to the member), so
// a retry or a replayed queue never saves or scores twice. Also renders what the server answered.
(function (global) {
  "use strict";
  var store = global.offlineStore;
  var API = "/api/v1";
  var RETRY_MS = [2000, 5000, 15000, 60000];
  var running = null;
  var again = false;
  var loginNeeded = false;  // the last answer asked for a login: the queue waits for the member to sign in
  var retries = 0;
  var listeners = [];

  function request(item, attempt, csrf) {
    var url, method = "POST", body = null;
    if (item.kind === "start") {
      url = API + "/daily/offline-attempts";
      body = {token: item.token, started_at: item.startedAt};
    } else if (item.kind === "save") {
      url = API + "/attempts/" + attempt.id + "/answers/" + item.position;
      method = "PUT";
      body = {given: item.given};
    } else {
      url = API + "/attempts/" + attempt.id + "/submit";
    }
    return fetch(url, {
      method: method, credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json",
                "Idempotency-Key": item.key, "X-CSRFToken": csrf || ""},
      body: body === null ? null : JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        return {status: response.status, body: json};
      });
    });
  }

  // Not definite: the network, the server's trouble, a request still running, or a session to renew
  // (logged out, stale CSRF token). The queued item stays and goes again with the same key.
  function errorCode(answer) {
    return answer.body && answer.body.error ? answer.body.error.code : "";
  }

  function mustRetry(answer) {
    return answer.status >= 500 || needsLogin(answer) || errorCode(answer) === "idempotency_key_in_progress";
  }

  function needsLogin(answer) {
    var code = errorCode(answer);
    return answer.status === 401 || code === "csrf_invalid" || code === "password_change_required";
  }

  function errorText(answer) {
    return answer.body && answer.body.error ? answer.body.error.message : "服务器拒绝了这一请求（" + answer.status + "）";
  }

  // What a definite answer means for the paper's record (attempts store); news is shown again.
  function record(item, attempt, answer) {
    var ok = answer.status >= 200 && answer.status < 300;
    attempt.dismissed = false;
    if (item.kind === "start" && ok) {
      attempt.id = answer.body.attempt.id;
      attempt.title = answer.body.attempt.title;
      attempt.message = answer.body.message || "";
    } else if (item.kind === "save" && !ok && answer.status === 409) {
      attempt.closed = (attempt.closed || 0) + 1;  // submitted elsewhere or past its time: finished
      attempt.finished = true;
    } else if (item.kind === "submit" && ok) {
      attempt.submitted = true;
      attempt.score = answer.body.score;
      attempt.maxScore = answer.body.max_score;
    } else if (item.kind === "submit" && errorCode(answer) === "exam_in_progress") {
      attempt.finished = true;  // submitted; the server shows no result while an exam is being sat
      attempt.notice = errorText(answer);
    } else if (!ok) {
      attempt.problems = (attempt.problems || []).concat([errorText(answer)]);
    }
    return attempt;
  }

  function sendNext(csrf) {
    return store.all("queue").then(function (queue) {
      if (!queue.length) { return false; }
      var item = queue[0];
      return store.get("attempts", item.token).then(function (attempt) {
        attempt = attempt || {token: item.token};
        if (item.kind !== "start" && !attempt.id) {
          return store.settle(item, attempt).then(function () { return true; });  // its start was refused
        }
        return request(item, attempt, csrf).then(function (answer) {
          loginNeeded = needsLogin(answer);
          if (mustRetry(answer)) { throw new Error("retry"); }
          return store.settle(item, record(item, attempt, answer)).then(notify).then(function () { return true; });
        });
      });
    });
  }

  function drain(csrf) {
    return sendNext(csrf).then(function (more) { return more ? drain(csrf) : null; });
  }

  // One run at a time, across tabs too where the browser has Web Locks; a call during a run (a new item
  // queued after the run looked) makes it run once more.
  function run(csrf) {
    if (running) { again = true; return running; }
    again = false;
    var work = function () { return drain(csrf); };
    var locked = navigator.locks ? navigator.locks.request("quizapp-offline-sync", work) : work();
    running = locked.then(function () { retries = 0; return again; }, function () {
      var wait = RETRY_MS[Math.min(retries, RETRY_MS.length - 1)];
      retries += 1;
      setTimeout(function () { if (navigator.onLine) { run(csrf); } }, wait);
      return false;  // the timer runs it again
    }).then(function (rerun) {
      running = null;
      return rerun ? run(csrf) : notify();
    });
    return running;
  }

  function notify() {
    return Promise.all([store.all("queue"), store.all("attempts")]).then(function (state) {
      listeners.forEach(function (listener) { listener(state[0], state[1], loginNeeded); });
    });
  }

  function onChange(listener) {
    listeners.push(listener);
    return notify();
  }

  // The member's view of one paper's record: {lines, link, label, tone}.
  function describe(attempt, waiting) {
    var lines = [];
    if (attempt.message) { lines.push(attempt.message); }
    if (attempt.closed) { lines.push(attempt.closed + " 个答案送达时答题已截止，没有保存。"); }
    if (attempt.notice) { lines.push("已交卷。" + attempt.notice); }
    (attempt.problems || []).forEach(function (text) { lines.push("未能提交：" + text); });
    if (attempt.submitted) {
      lines.unshift("离线作答的" + attempt.title + "已提交：得 " + attempt.score + "/" + attempt.maxScore + " 分。");
      return {lines: lines, link: "/quiz/attempts/" + attempt.id + "/result", label: "已提交，查看成绩", tone: "success"};
    }
    if (attempt.finished) {
      return {lines: lines, link: "/quiz/attempts/" + attempt.id + "/result", label: "查看成绩", tone: "warning"};
    }
    if (attempt.id && !waiting) {
      lines.push("答案已送到服务器，还没有交卷。");
      return {lines: lines, link: "/quiz/attempts/" + attempt.id, label: "联网继续答题", tone: "info"};
    }
    return {lines: lines, link: null, label: null, tone: lines.length ? "warning" : "info"};
  }

  function dismiss(attempt) {
    attempt.dismissed = true;
    return store.put("attempts", attempt).then(notify);
  }

  // Fills container with one alert per paper the server has answered about (with 知道了 where dismissable).
  function render(container, queue, attempts, dismissable) {
    container.textContent = "";
    attempts.forEach(function (attempt) {
      var waiting = queue.filter(function (item) { return item.token === attempt.token; }).length;
      var shown = describe(attempt, waiting);
      if (!shown.link && !shown.lines.length) { return; }
      var box = document.createElement("div");
      box.className = "alert alert-" + shown.tone + " offline-outcome";
      box.setAttribute("role", "status");
      shown.lines.forEach(function (text) {
        var line = document.createElement("p");
        line.className = "mb-1";
        line.textContent = text;
        box.appendChild(line);
      });
      if (shown.link) {
        var link = document.createElement("a");
        link.className = "btn btn-primary";
        link.href = shown.link;
        link.textContent = shown.label;
        link.addEventListener("click", function (event) {  // once followed, other pages no longer announce it
          event.preventDefault();
          dismiss(attempt).then(function () { window.location.href = link.href; });
        });
        box.appendChild(link);
      }
      if (dismissable) {
        var close = document.createElement("button");
        close.type = "button";
        close.className = "btn btn-outline-secondary ms-2";
        close.textContent = "知道了";
        close.addEventListener("click", function () { dismiss(attempt); });
        box.appendChild(close);
      }
      container.appendChild(box);
    });
  }

  global.offlineSync = {run: run, onChange: onChange, refresh: notify, render: render};
})(self);
