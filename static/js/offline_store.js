// The device's store for offline daily quizzes (IndexedDB), shared by the pages and the service worker.
// papers: daily papers handed out ahead of time, without keys; sheets: the answers given offline;
// queue: requests waiting for the network, in order, each with its Idempotency-Key; attempts: what the
// server answered per paper (attempt id, messages); meta: member, CSRF token, time of the last download.
(function (global) {
  "use strict";
  var NAME = "quizapp-offline";
  var STORES = {papers: "token", sheets: "token", attempts: "token", meta: "name"};
  var opened = null;

  function open() {
    opened = opened || new Promise(function (resolve, reject) {
      var request = indexedDB.open(NAME, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        Object.keys(STORES).forEach(function (name) { db.createObjectStore(name, {keyPath: STORES[name]}); });
        db.createObjectStore("queue", {keyPath: "seq", autoIncrement: true});
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
    return opened;
  }

  // Runs work(stores) in one transaction; resolves with what work returned (a value or an IDBRequest's result).
  function transact(names, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(names, mode);
        var stores = {};
        names.forEach(function (name) { stores[name] = tx.objectStore(name); });
        var outcome = work(stores);
        tx.oncomplete = function () { resolve(outcome instanceof IDBRequest ? outcome.result : outcome); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function get(store, key) {
    return transact([store], "readonly", function (s) { return s[store].get(key); });
  }

  function all(store) {
    return transact([store], "readonly", function (s) { return s[store].getAll(); });
  }

  function put(store, value) {
    return transact([store], "readwrite", function (s) { return s[store].put(value); });
  }

  // "YYYY-MM-DD" of a moment in the app's time zone (the server's study day).
  function localDay(moment, timeZone) {
    var parts = {};
    new Intl.DateTimeFormat("en-US", {timeZone: timeZone, year: "numeric", month: "2-digit", day: "2-digit"})
      .formatToParts(moment).forEach(function (part) { parts[part.type] = part.value; });
    return parts.year + "-" + parts.month + "-" + parts.day;
  }

  function paperOfToday(timeZone) {
    var today = localDay(new Date(), timeZone);
    return all("papers").then(function (papers) {
      return papers.filter(function (paper) { return paper.day === today; })[0] || null;
    });
  }

  function meta(name) {
    return get("meta", name).then(function (row) { return row ? row.value : null; });
  }

  function setMeta(name, value) {
    return put("meta", {name: name, value: value});
  }

  // New papers replace the old ones, with the answers given to them; a paper whose answers still wait in
  // the queue stays until they are sent, and so does the server's news of a paper until it is seen.
  function replacePapers(papers) {
    var kept = papers.map(function (paper) { return paper.token; });
    return transact(["papers", "sheets", "attempts", "queue"], "readwrite", function (s) {
      s.queue.getAll().onsuccess = function (event) {
        var keep = kept.concat(event.target.result.map(function (item) { return item.token; }));
        ["papers", "sheets", "attempts"].forEach(function (name) {
          s[name].getAll().onsuccess = function (found) {
            found.target.result.forEach(function (row) {
              var news = name === "attempts" && !row.dismissed;
              if (keep.indexOf(row.token) < 0 && !news) { s[name].delete(row.token); }
            });
          };
        });
        papers.forEach(function (paper) { s.papers.put(paper); });
      };
    });
  }

  // Queues a request; the first one for a paper is preceded by the start of its offline attempt. A new
  // answer to a question replaces its answer still waiting (which, if already on its way, lands first).
  function enqueue(token, kind, fields) {
    fields = fields || {};
    return transact(["queue", "attempts"], "readwrite", function (s) {
      s.queue.getAll().onsuccess = function (event) {
        var queue = event.target.result;
        var started = queue.some(function (item) { return item.token === token && item.kind === "start"; });
        queue.forEach(function (item) {
          if (kind === "save" && item.kind === "save" && item.token === token && item.position === fields.position) {
            s.queue.delete(item.seq);
          }
        });
        s.attempts.get(token).onsuccess = function (found) {
          if (!started && !found.target.result) {
            s.queue.add({kind: "start", token: token, key: crypto.randomUUID(), startedAt: new Date().toISOString()});
          }
          s.queue.add(Object.assign({kind: kind, token: token, key: crypto.randomUUID()}, fields));
        };
      };
    });
  }

  // Removes a sent request and records what the server said about its paper, in one transaction.
  function settle(item, attempt) {
    return transact(["queue", "attempts"], "readwrite", function (s) {
      s.queue.delete(item.seq);
      s.attempts.put(attempt);
    });
  }

  function clear() {
    return transact(Object.keys(STORES).concat(["queue"]), "readwrite", function (s) {
      Object.keys(s).forEach(function (name) { s[name].clear(); });
    });
  }

  global.offlineStore = {
    get: get, all: all, put: put, meta: meta, setMeta: setMeta, localDay: localDay, paperOfToday: paperOfToday,
    replacePapers: replacePapers, enqueue: enqueue, settle: settle, clear: clear
  };
})(self);
