/* pimlearn learner player: talking to a SCORM 1.2 or 2004 LMS, or keeping progress in this browser.
 *
 * Loaded before player.js, which runs the page and calls these trackers. The pure parts they use
 * (SCORM formats, the 1.2 status) live in player.js's core, reached at call time.
 *
 * Two rules hold whatever the LMS does:
 * - never downgrade what the LMS already holds: completion, success, score and progress only rise;
 * - a SCORM 2004 SCO never calls Terminate by itself. Moodle keeps one 2004 API object per player
 *   page: once a SCO has terminated it, the next SCO's Initialize fails (104) and nothing of that
 *   module is recorded. Every change is committed at once, so the LMS holds everything without it.
 */
(function (root) {
  "use strict";

  function core() { return root.pimlearnPlayer; }

  var ELEMENTS = {
    "1.2": {
      init: "LMSInitialize", finish: "LMSFinish", get: "LMSGetValue", set: "LMSSetValue",
      commit: "LMSCommit", error: "LMSGetLastError",
      entry: "cmi.core.entry", mode: "cmi.core.lesson_mode", learner: "cmi.core.student_id",
      location: "cmi.core.lesson_location", suspend: "cmi.suspend_data", exit: "cmi.core.exit",
      session: "cmi.core.session_time", status: "cmi.core.lesson_status",
      raw: "cmi.core.score.raw", min: "cmi.core.score.min", max: "cmi.core.score.max"
    },
    "2004": {
      init: "Initialize", finish: "Terminate", get: "GetValue", set: "SetValue",
      commit: "Commit", error: "GetLastError",
      entry: "cmi.entry", mode: "cmi.mode", learner: "cmi.learner_id",
      location: "cmi.location", suspend: "cmi.suspend_data", exit: "cmi.exit",
      session: "cmi.session_time", completion: "cmi.completion_status", success: "cmi.success_status",
      progress: "cmi.progress_measure", scaled: "cmi.score.scaled",
      raw: "cmi.score.raw", min: "cmi.score.min", max: "cmi.score.max"
    }
  };

  /* The LMS's API object, searched as the SCORM specifications describe: up the chain of
     parent frames, then from the opener window (and its parents). Frames from another
     origin cannot be read: the search stops there. */
  function findApi(win, name) {
    function climb(w) {
      for (var tries = 0; w && tries < 500; tries++) {
        try {
          if (w[name]) return w[name];
          if (!w.parent || w.parent === w) return null;
          w = w.parent;
        } catch (e) {
          return null;
        }
      }
      return null;
    }
    var found = climb(win);
    try {
      if (!found && win.opener) found = climb(win.opener);
      if (!found && win.top && win.top.opener) found = climb(win.top.opener);
    } catch (e) { /* an opener from another origin */ }
    return found || null;
  }

  function storage() {
    try {
      var s = root.localStorage;
      s.setItem("pimlearn:probe", "1");
      s.removeItem("pimlearn:probe");
      return s;
    } catch (e) {
      return null; // private mode or disabled storage: progress lasts for this page only
    }
  }

  /* Progress kept in this browser only (no LMS). */
  function LocalTracker(key) {
    this.key = "pimlearn:" + key;
    this.store = storage();
    this.lms = false;
  }
  LocalTracker.prototype.start = function () {
    var saved = this.store ? this.store.getItem(this.key) : null;
    return { suspend: saved || "", location: "", review: false, done: false, recorded: null };
  };
  LocalTracker.prototype.save = function (record) {
    if (this.store) {
      try {
        this.store.setItem(this.key, record.suspend);
        // What the web version's course index shows for this module.
        this.store.setItem(this.key + ":state", progressState(record));
      } catch (e) { /* quota: nothing more to do */ }
    }
    return true;
  };

  /* A unit's state in one word: started, completed (unscored), passed or failed. */
  function progressState(record) {
    var result = record.result;
    if (!record.complete) return "started";
    if (result.scored && result.complete) return result.passed ? "passed" : "failed";
    return "completed";
  }

  /* The web version's course index: each module's state, read from what its pages stored. */
  function showProgress(doc, strings) {
    var store = storage();
    Array.prototype.forEach.call(doc.querySelectorAll("[data-progress-key]"), function (el) {
      var state = store ? store.getItem("pimlearn:" + el.getAttribute("data-progress-key") + ":state") : null;
      el.setAttribute("data-progress", state || "new");
      el.textContent = strings[state || "new"] || "";
      el.hidden = false;
    });
  }
  LocalTracker.prototype.interaction = function () {};
  LocalTracker.prototype.finish = function () {};

  /* Progress reported to a SCORM 1.2 or 2004 LMS. The learner's answers live in the page
     first: a call the LMS refuses is retried, and the answers are mirrored in localStorage
     so that a lost commit cannot lose them. */
  function ScormTracker(api, version, data, onTrouble) {
    this.api = api;
    this.v = version;
    this.E = ELEMENTS[version];
    this.data = data;
    this.onTrouble = onTrouble;
    this.lms = true;
    this.failures = 0;
    this.retryTimer = null;
    this.finished = false;
    this.started = Date.now();
    this.interactionsOn = true;
    this.held = {};
    this.mirror = null;
  }
  ScormTracker.prototype.call = function (fn, a, b) {
    try {
      var result = this.api[fn].apply(this.api, b === undefined ? [a] : [a, b]);
      return result === undefined || result === null ? "" : String(result);
    } catch (e) {
      return "false";
    }
  };
  ScormTracker.prototype.get = function (element) { return this.call(this.E.get, element); };
  ScormTracker.prototype.set = function (element, value) {
    return this.call(this.E.set, element, String(value)) === "true";
  };
  ScormTracker.prototype.error = function () { return this.call(this.E.error, undefined) || "0"; };

  /* Open the session and read what the LMS already holds, before anything is written. A module the
     learner finished (the LMS starts a new session on a completed record) opens for review. */
  ScormTracker.prototype.start = function () {
    // 103 (already initialized): a relaunch in the same frame, or an LMS that keeps one API object
    // for every SCO of its player page (Moodle, SCORM 2004) and switched it to this SCO.
    if (this.call(this.E.init, "") !== "true" && this.error() !== "103" && this.call(this.E.init, "") !== "true") {
      return null;
    }
    var E = this.E, v12 = this.v === "1.2";
    var learner = this.get(E.learner);
    this.mirror = new LocalTracker(this.data.key + "/" + this.v + "/" + learner);
    var entry = this.get(E.entry);
    var suspend = this.get(E.suspend);
    if (!suspend && entry === "resume") suspend = this.mirror.start().suspend; // the LMS lost what it was sent
    var mode = this.get(E.mode);
    var held = this.held;
    held.raw = parseFloat(this.get(E.raw));
    if (v12) {
      held.status = this.get(E.status);
    } else {
      held.completion = this.get(E.completion);
      held.success = this.get(E.success);
      held.progress = parseFloat(this.get(E.progress));
    }
    var done = v12 ? ["passed", "completed", "failed"].indexOf(held.status) >= 0 : held.completion === "completed";
    // A finished record met again in a new session (not a resume): show it, change nothing.
    this.review = mode === "review" || mode === "browse" || (done && entry !== "resume");
    return {
      suspend: suspend,
      location: this.get(E.location),
      review: this.review,
      done: done,
      recorded: {
        status: v12 ? held.status : held.success === "passed" || held.success === "failed" ? held.success : held.completion,
        score: held.raw >= 0 ? held.raw : null
      }
    };
  };
  /* Write the state and the result, then commit; on failure try again a little later. */
  ScormTracker.prototype.save = function (record) {
    if (this.finished) return true;
    this.pending = record;
    this.mirror.save(record);
    if (this.review) return true; // review: look, never change the record
    var ok = this.write(record) && this.call(this.E.commit, "") === "true";
    if (ok) {
      if (this.failures) this.onTrouble(false);
      this.failures = 0;
      if (this.retryTimer) clearTimeout(this.retryTimer); // nothing left to retry: the next failure starts afresh
      this.retryTimer = null;
    } else {
      this.failures++;
      if (this.failures >= 2) this.onTrouble(true);
      this.scheduleRetry();
    }
    return ok;
  };
  ScormTracker.prototype.scheduleRetry = function () {
    var self = this;
    if (this.retryTimer || this.finished) return;
    var delay = [1000, 3000, 10000, 30000][Math.min(this.failures - 1, 3)];
    this.retryTimer = setTimeout(function () {
      self.retryTimer = null;
      if (self.pending) self.save(self.pending);
    }, delay);
  };
  /* Each value is written only when it does not lower what the LMS holds. */
  ScormTracker.prototype.write = function (r) {
    var E = this.E, ok = true, self = this, held = this.held, P = core();
    var set = function (element, value) { if (!self.set(element, value)) ok = false; };
    set(E.location, r.page);
    set(E.suspend, r.suspend);
    var result = r.result;
    var scoreKnown = result.scored && result.complete;
    var better = scoreKnown && !(held.raw > result.pct);
    if (better) {
      set(E.min, 0);
      set(E.max, 100);
      set(E.raw, result.pct);
      held.raw = result.pct;
      if (this.v === "2004") set(E.scaled, Math.round(result.pct * 100) / 10000);
    }
    if (this.v === "1.2") {
      var status = P.status12(this.data.report12, result, r.complete);
      if (P.rank12(status) > P.rank12(held.status)) {
        set(E.status, status);
        held.status = status;
      }
    } else {
      if (!(held.progress > r.progress)) {
        set(E.progress, r.progress);
        held.progress = r.progress;
      }
      var completion = r.complete ? "completed" : "incomplete";
      if (held.completion !== "completed" && held.completion !== completion) {
        set(E.completion, completion);
        held.completion = completion;
      }
      if (scoreKnown && held.success !== "passed") {
        var success = result.passed ? "passed" : "failed";
        if (success !== held.success) set(E.success, success);
        held.success = success;
      }
    }
    // Set at every commit: the LMS knows the time spent even if the page closes without a word.
    set(E.session, this.v === "1.2" ? P.timespan12(Date.now() - this.started) : P.duration2004(Date.now() - this.started));
    return ok;
  };
  /* One journal entry per checked answer: id, then type, then everything that depends on the type. */
  ScormTracker.prototype.interaction = function (q, a, correct, latency) {
    if (this.review || this.finished || !this.interactionsOn) return;
    var count = parseInt(this.get("cmi.interactions._count"), 10);
    if (!(count >= 0)) {
      this.interactionsOn = false; // an LMS without interactions: not an error worth a notice
      return;
    }
    var P = core(), v12 = this.v === "1.2";
    var p = "cmi.interactions." + count + ".";
    var formats = P.responses(q, a, this.v);
    var now = new Date();
    var id = v12 ? this.data.modules[q.m] + "_" + q.id : "urn:pimlearn:" + this.data.course + ":" + this.data.modules[q.m] + ":" + q.id;
    if (!this.set(p + "id", id) || !this.set(p + "type", formats.type)) return;
    if (!v12) this.set(p + "description", (q.lang ? "{lang=" + q.lang + "}" : "") + q.text);
    this.set(p + "weighting", q.points);
    var self = this;
    formats.patterns.forEach(function (pattern, j) { self.set(p + "correct_responses." + j + ".pattern", pattern); });
    if (formats.response !== null) this.set(p + (v12 ? "student_response" : "learner_response"), formats.response);
    this.set(p + "result", correct ? "correct" : v12 ? "wrong" : "incorrect");
    this.set(p + "latency", v12 ? P.timespan12(latency) : P.duration2004(latency));
    this.set(p + (v12 ? "time" : "timestamp"), v12 ? P.time12(now) : P.timestamp2004(now));
  };
  /* End the session: "suspend" keeps the attempt open for a resume; a finished module ends it.
     SCORM 1.2 calls LMSFinish; SCORM 2004 commits and leaves Terminate to the LMS (see the top). */
  ScormTracker.prototype.finish = function (done) {
    if (this.finished) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (!this.review) {
      if (this.pending) this.write(this.pending);
      this.set(this.E.exit, done ? (this.v === "1.2" ? "" : "normal") : "suspend");
      this.call(this.E.commit, "");
    }
    this.finished = true;
    if (this.v === "1.2") this.call(this.E.finish, "");
  };

  root.pimlearnLms = {
    findApi: findApi, LocalTracker: LocalTracker, ScormTracker: ScormTracker, showProgress: showProgress
  };
  if (typeof document !== "undefined") {
    var progress = document.getElementById("pimlearn-progress-strings");
    if (progress) showProgress(document, JSON.parse(progress.textContent));
  }
})(typeof window !== "undefined" ? window : this);
