/* pimlearn learner player: pages, questions, scoring, and reporting to a SCORM 1.2 or 2004 LMS.
 *
 * One file, no dependencies, no build step. The page carries two JSON scripts written at
 * build time: #pimlearn-data (pages, questions, answer keys, pass mark) and #pimlearn-strings
 * (every text this script shows, already translated). Without an LMS (web version, a SCO
 * opened from disk) it runs the same and keeps progress in localStorage.
 *
 * The pure parts (encoding of the saved state, scoring, SCORM response formats, time
 * formats) are exported for Node when this file is require()d: the tests hold them to
 * the Python reference in pimlearn/render/suspend.py and to the SCORM formats.
 */
(function (root) {
  "use strict";

  // ------------------------------------------------------------------ saved state (suspend_data)
  // Mirrors pimlearn/render/suspend.py: keep both in step.

  var FORMAT = "1";
  var MAX_ATTEMPTS = 36 * 36 - 1;
  var SAFE = /^[A-Za-z0-9 ,.'?!()\-_]$/;
  var LETTERS = "abcdefghijklmnopqrstuvwxyz";

  function b36(n) { return n.toString(36); }

  function pad(text, width) {
    text = String(text);
    while (text.length < width) text = "0" + text;
    return text;
  }

  function escapeText(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var c = text.charAt(i);
      out += SAFE.test(c) ? c : "~" + pad(text.charCodeAt(i).toString(16), 4);
    }
    return out;
  }

  function unescapeText(text) {
    return text.replace(/~([0-9a-f]{4})/g, function (_, hex) { return String.fromCharCode(parseInt(hex, 16)); });
  }

  function slotWidth(n) { return b36(n).length; }

  function encodeAnswer(q, a) {
    switch (q.type) {
      case "single": return b36(a);
      case "multiple":
        var mask = 0;
        unique(a).forEach(function (i) { mask += Math.pow(2, i); });
        return b36(mask);
      case "true-false": return a ? "t" : "f";
      case "fill-in": return escapeText(String(a).slice(0, q.max));
      default:
        var offset = q.type === "matching" ? 1 : 0;
        return a.map(function (v) { return pad(b36(Math.max(0, v + offset)), slotWidth(q.n)); }).join("");
    }
  }

  function decodeAnswer(q, text) {
    var bad = new Error("bad answer");
    switch (q.type) {
      case "single":
        var i = parseInt(text, 36);
        if (!(i >= 0 && i < q.n)) throw bad;
        return i;
      case "multiple":
        var mask = parseInt(text, 36), picked = [];
        if (!(mask >= 0)) throw bad;
        for (var k = 0; k < q.n; k++) if (Math.floor(mask / Math.pow(2, k)) % 2) picked.push(k);
        return picked;
      case "true-false":
        if (text !== "t" && text !== "f") throw bad;
        return text === "t";
      case "fill-in": return unescapeText(text);
      default:
        var w = slotWidth(q.n), out = [], offset = q.type === "matching" ? 1 : 0;
        if (text.length !== w * q.n) throw bad;
        for (var j = 0; j < q.n; j++) {
          var v = parseInt(text.substr(j * w, w), 36) - offset;
          if (!(v >= -offset && v < q.n + 1 - offset)) throw bad;
          out.push(v);
        }
        return out;
    }
  }

  /* The count as saved: never past the question's limit (a count restored from a build that allowed more
     stays final, and the worst-case size stays exact) nor past MAX_ATTEMPTS. */
  function storedAttempts(q, n) {
    return Math.min(n, q.attempts || MAX_ATTEMPTS, MAX_ATTEMPTS);
  }

  function freshState() { return { page: 1, visited: {}, answers: {} }; }

  function encodeState(data, st) {
    var bits = "";
    for (var start = 1; start <= data.pages; start += 4) {
      var digit = 0;
      for (var i = 0; i < 4; i++) if (st.visited[start + i]) digit += 1 << i;
      bits += digit.toString(16);
    }
    var fields = [FORMAT, data.fp, b36(st.page), bits];
    data.questions.forEach(function (q, index) {
      var at = st.answers[index];
      fields.push(at ? b36(storedAttempts(q, at.n)) + "=" + encodeAnswer(q, at.a) : "");
    });
    return fields.join("|");
  }

  /* The state in `text`, or null when it is empty, from another version of the format, or
     from a build whose questions had another shape (never restore answers into the wrong questions). */
  function decodeState(data, text) {
    if (!text) return null;
    var fields = String(text).split("|");
    if (fields[0] !== FORMAT || fields[1] !== data.fp || fields.length !== 4 + data.questions.length) return null;
    try {
      var st = freshState();
      st.page = Math.min(Math.max(parseInt(fields[2], 36) || 1, 1), data.pages);
      for (var d = 0; d < fields[3].length; d++) {
        var digit = parseInt(fields[3].charAt(d), 16);
        for (var b = 0; b < 4; b++) if (digit & (1 << b)) st.visited[d * 4 + b + 1] = true;
      }
      data.questions.forEach(function (q, index) {
        var field = fields[4 + index];
        if (!field) return;
        var eq = field.indexOf("=");
        var n = parseInt(field.slice(0, eq), 36);
        if (eq < 1 || !(n >= 1)) throw new Error("bad attempts");
        st.answers[index] = { n: n, a: decodeAnswer(q, field.slice(eq + 1)) };
      });
      return st;
    } catch (e) {
      return null;
    }
  }

  // ------------------------------------------------------------------ scoring

  function unique(list) {
    return list.filter(function (v, i) { return list.indexOf(v) === i; });
  }

  function normalize(text, caseSensitive) {
    text = String(text);
    if (text.normalize) text = text.normalize("NFC");
    text = text.trim();
    return caseSensitive ? text : text.toLowerCase();
  }

  /* Has the learner given an answer that can be checked? */
  function isAnswered(q, a) {
    switch (q.type) {
      case "single": return typeof a === "number" && a >= 0;
      case "multiple": return !!a && a.length > 0;
      case "true-false": return a === true || a === false;
      case "fill-in": return typeof a === "string" && a.trim() !== "";
      case "matching": return !!a && a.every(function (v) { return v >= 0; });
      default: return !!a && a.every(function (v) { return v > 0; });
    }
  }

  function isCorrect(q, a) {
    switch (q.type) {
      case "single": return q.correct.length === 1 && a === q.correct[0];
      case "multiple":
        var picked = unique(a).sort();
        return picked.length === q.correct.length && picked.every(function (v, i) { return v === q.correct.slice().sort()[i]; });
      case "true-false": return a === q.answer;
      case "fill-in":
        var given = normalize(a, q["case"]);
        return q.answers.some(function (accepted) { return normalize(accepted, q["case"]) === given; });
      case "matching": return a.length === q.n && a.every(function (v, i) { return v === i; });
      default: return a.length === q.n && a.every(function (v, i) { return v === i + 1; });
    }
  }

  /* Checks a question still allows (`at`: its saved answer, if any); null when it has no limit. */
  function attemptsLeft(q, at) {
    if (!q.attempts) return null;
    return Math.max(0, q.attempts - (at ? at.n : 0));
  }

  /* A checked question is final when answered right or when its last attempt is used: it locks,
     and only a new try of the whole quiz (retryAll) opens it again. */
  function isFinal(q, at) {
    return !!at && (isCorrect(q, at.a) || attemptsLeft(q, at) === 0);
  }

  /* A new try of the whole quiz: clear every graded answer with its count of attempts (knowledge
     checks keep theirs). Returns the indexes of the questions cleared, in order. */
  function newTry(data, st) {
    var cleared = [];
    data.questions.forEach(function (q, index) {
      if (!q.graded || !st.answers[index]) return;
      delete st.answers[index];
      cleared.push(index);
    });
    return cleared;
  }

  /* How many slots of a matching or ordering answer are right (for "2 of 4 are right"). */
  function rightSlots(q, a) {
    var offset = q.type === "matching" ? 0 : 1;
    return a.filter(function (v, i) { return v === i + offset; }).length;
  }

  /* The unit's result: graded questions only; `complete` once every one of them has an answer. */
  function summarize(data, st) {
    var total = 0, got = 0, graded = 0, answered = 0;
    data.questions.forEach(function (q, index) {
      if (!q.graded) return;
      graded++;
      total += q.points;
      var at = st.answers[index];
      if (!at) return;
      answered++;
      if (isCorrect(q, at.a)) got += q.points;
    });
    var scored = total > 0 && data.passMark !== null && data.passMark !== undefined;
    var pct = scored ? Math.round((got / total) * 10000) / 100 : null;
    return {
      scored: scored,
      graded: graded,
      answered: answered,
      complete: answered === graded,
      pct: pct,
      passed: scored ? pct >= data.passMark : null
    };
  }

  /* Content pages (the result page aside) seen and in all. */
  function pagesSeen(data, st) {
    var seen = 0, total = 0;
    for (var n = 1; n <= data.pages; n++) {
      if (n === data.resultPage) continue;
      total++;
      if (st.visited[n]) seen++;
    }
    return { seen: seen, total: total };
  }

  /* Is the unit complete under the course's one rule (data.completion), the same for SCORM 1.2, 2004
     and the web: every page seen, every graded question answered, or both (the default)? */
  function isComplete(data, st, result) {
    var pages = pagesSeen(data, st);
    var allPages = pages.seen === pages.total, allQuestions = result.complete;
    if (data.completion === "pages") return allPages;
    if (data.completion === "questions") return allQuestions;
    return allPages && allQuestions;
  }

  /* What is missing before the unit is complete: pages not seen and graded questions not answered
     (each counted only when the completion rule asks for it). */
  function missing(data, st, result) {
    var pages = pagesSeen(data, st);
    return {
      pages: data.completion === "questions" ? 0 : pages.total - pages.seen,
      questions: data.completion === "pages" ? 0 : result.graded - result.answered
    };
  }

  /* SCORM 1.2's one status field under the course's report choice ("<done>-<not done>"): the word for
     done when the unit is complete and passed (or complete and unscored); a complete but failed unit is
     "failed" only when the choice names it, else "completed" (completion, whatever the score) or
     "incomplete" (only passing counts). */
  function status12(report, result, complete) {
    var words = String(report || "passed-failed").split("-"), done = words[0], other = words[1];
    if (!complete) return "incomplete";
    if (!result.scored) return done;
    if (!result.complete) return done === "completed" ? "completed" : "incomplete";
    if (result.passed) return done;
    return other === "failed" ? "failed" : done === "completed" ? "completed" : "incomplete";
  }

  /* How far a SCORM 1.2 status goes: the player never reports a lower one than the LMS holds. */
  function rank12(status) {
    return { incomplete: 1, failed: 2, completed: 3, passed: 4 }[status] || 0;
  }

  // ------------------------------------------------------------------ SCORM formats

  function timespan12(ms) {
    var cs = Math.max(0, Math.round(ms / 10));
    var h = Math.min(Math.floor(cs / 360000), 9999);
    return pad(h, 2) + ":" + pad(Math.floor(cs / 6000) % 60, 2) + ":" + pad(Math.floor(cs / 100) % 60, 2) + "." + pad(cs % 100, 2);
  }

  function duration2004(ms) {
    var cs = Math.max(0, Math.round(ms / 10));
    var s = (cs % 6000) / 100;
    return "PT" + Math.floor(cs / 360000) + "H" + (Math.floor(cs / 6000) % 60) + "M" + s.toFixed(2).replace(/\.?0+$/, "") + "S";
  }

  function time12(date) {
    return pad(date.getHours(), 2) + ":" + pad(date.getMinutes(), 2) + ":" + pad(date.getSeconds(), 2);
  }

  /* A SCORM 2004 timestamp in UTC: the time zone may only follow fractional seconds. */
  function timestamp2004(date) {
    return date.getUTCFullYear() + "-" + pad(date.getUTCMonth() + 1, 2) + "-" + pad(date.getUTCDate(), 2) +
      "T" + pad(date.getUTCHours(), 2) + ":" + pad(date.getUTCMinutes(), 2) + ":" + pad(date.getUTCSeconds(), 2) +
      "." + Math.floor(date.getUTCMilliseconds() / 100) + "Z";
  }

  var INTERACTION_TYPES = {
    "single": "choice", "multiple": "choice", "true-false": "true-false",
    "fill-in": "fill-in", "matching": "matching", "ordering": "sequencing"
  };

  function sortedIndexes(positions) {
    return positions.map(function (p, i) { return i; }).sort(function (x, y) {
      var px = positions[x] > 0 ? positions[x] : Infinity, py = positions[y] > 0 ? positions[y] : Infinity;
      return px - py || x - y;
    });
  }

  /* The interaction's correct-response patterns and the learner's response, in a SCORM version's format.
     Matching and ordering beyond 26 entries cannot be spelled in SCORM 1.2 (one character per entry):
     they report no patterns and no response, only the result. */
  function responses(q, a, version) {
    var v12 = version === "1.2";
    var sep = v12 ? "," : "[,]", dot = v12 ? "." : "[.]";
    var out = { type: INTERACTION_TYPES[q.type], patterns: [], response: null };
    var key = function (i) { return v12 ? LETTERS.charAt(i) : q.keys[i]; };
    var right = function (j) { return j < 26 ? LETTERS.charAt(j) : "r" + (j + 1); };
    var left = function (i) { return b36(i + 1); };
    switch (q.type) {
      case "single":
        out.patterns = [key(q.correct[0])];
        out.response = key(a);
        break;
      case "multiple":
        out.patterns = [q.correct.map(key).join(sep)];
        out.response = unique(a).sort().map(key).join(sep);
        break;
      case "true-false":
        out.patterns = [v12 ? (q.answer ? "t" : "f") : String(q.answer)];
        out.response = v12 ? (a ? "t" : "f") : String(a);
        break;
      case "fill-in":
        var limit = v12 ? 255 : 250;
        var clean = function (text) {
          // SCORM 2004 reads "[,]" as a separator and a leading "{" as a delimiter such as {lang=..}.
          text = String(text).trim();
          if (!v12) text = text.split("[,]").join(",").replace(/^\{+/, "");
          return text.slice(0, limit);
        };
        var prefix = !v12 && q["case"] ? "{case_matters=true}" : "";
        out.patterns = unique(q.answers.map(clean)).slice(0, 10).map(function (t) { return prefix + t; });
        out.response = clean(a);
        break;
      case "matching":
        if (q.n > 26) { out.patterns = []; break; }
        var all = [];
        for (var i = 0; i < q.n; i++) all.push(left(i) + dot + right(i));
        out.patterns = [all.join(sep)];
        out.response = a.map(function (r, l) { return r >= 0 ? left(l) + dot + right(r) : null; })
          .filter(function (x) { return x !== null; }).join(sep);
        break;
      default:
        if (q.n > 26) { out.patterns = []; break; }
        var order = [];
        for (var k = 0; k < q.n; k++) order.push(right(k));
        out.patterns = [order.join(sep)];
        out.response = sortedIndexes(a).map(right).join(sep);
    }
    return out;
  }

  var core = {
    FORMAT: FORMAT, MAX_ATTEMPTS: MAX_ATTEMPTS,
    escapeText: escapeText, unescapeText: unescapeText,
    encodeAnswer: encodeAnswer, decodeAnswer: decodeAnswer,
    encodeState: encodeState, decodeState: decodeState, freshState: freshState,
    isAnswered: isAnswered, isCorrect: isCorrect, rightSlots: rightSlots, summarize: summarize,
    attemptsLeft: attemptsLeft, isFinal: isFinal, newTry: newTry,
    pagesSeen: pagesSeen, isComplete: isComplete, missing: missing, status12: status12, rank12: rank12,
    timespan12: timespan12, duration2004: duration2004, time12: time12, timestamp2004: timestamp2004,
    responses: responses
  };

  if (typeof module === "object" && module.exports) {
    module.exports = core;
    return;
  }
  root.pimlearnPlayer = core;
  if (typeof document === "undefined") return;


  function $(scope, selector) { return scope.querySelector(selector); }
  function $$(scope, selector) { return Array.prototype.slice.call(scope.querySelectorAll(selector)); }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, name) { return name in values ? values[name] : m; });
  }
  function show(el, visible) { if (el) el.hidden = !visible; }

  function Player(doc, data, strings) {
    this.doc = doc;
    this.data = data;
    this.strings = strings;
    this.sco = !!data.resultPage;
    this.lang = doc.documentElement.lang || "en";
    this.shownAt = {};
    this.finished = false;
  }

  Player.prototype.start = function () {
    var self = this, data = this.data, doc = this.doc;
    this.pages = {};
    $$(doc, "[data-page]").forEach(function (el) { self.pages[parseInt(el.getAttribute("data-page"), 10)] = el; });
    this.here = this.sco ? null : parseInt($(doc, "[data-page]").getAttribute("data-page"), 10);

    var lms = root.pimlearnLms;
    var api = data.scorm ? lms.findApi(root, data.scorm === "1.2" ? "API" : "API_1484_11") : null;
    var tracker = api ? new lms.ScormTracker(api, data.scorm, data, function (bad) { self.trouble(bad); }) : null;
    var started = tracker ? tracker.start() : null;
    if (!started) {
      tracker = new lms.LocalTracker(data.key);
      started = tracker.start();
      this.notice(data.scorm && api ? this.strings.noLms : this.strings.local, "info");
    }
    this.tracker = tracker;
    this.review = started.review;
    this.recorded = started.recorded;
    this.st = decodeState(data, started.suspend) || freshState();
    if (this.review) {
      // Review: the learner's answers and result, locked; nothing goes to the LMS.
      this.doc.documentElement.classList.add("is-review");
      this.notice(this.strings.review, "info");
    }

    data.questions.forEach(function (q, index) { self.setupQuestion(q, index); });
    this.markVisited();
    this.setupResult();
    doc.addEventListener("click", function (event) { self.click(event); });
    doc.addEventListener("keydown", function (event) {
      // Enter in a fill-in answer checks it, as it would submit a form.
      var input = event.target;
      if (event.key !== "Enter" || !input.matches || !input.matches(".question input[type='text']")) return;
      event.preventDefault();
      self.check(parseInt(input.closest(".question").getAttribute("data-index"), 10));
    });

    if (this.sco) {
      var bookmark = parseInt(started.location, 10);
      var first = bookmark >= 1 && bookmark <= data.pages ? bookmark : this.st.page;
      // A finished module opens on its result: what the learner did, and what the LMS recorded.
      this.go(this.review && started.done ? data.resultPage : first, false);
      // pagehide, not unload: it fires when a frame is removed or navigated and on mobile browsers,
      // and it keeps the page eligible for the back/forward cache.
      root.addEventListener("pagehide", function () { self.leave(); });
      // Back from the back/forward cache, the session is over: start a new one.
      root.addEventListener("pageshow", function (event) { if (event.persisted) root.location.reload(); });
    } else {
      this.st.page = this.here;
      this.st.visited[this.here] = true;
      this.markVisited();
      this.pageShown(this.here);
      this.save();
    }
  };

  // ---------------------------------------------------------------- navigation

  Player.prototype.click = function (event) {
    var target = event.target.closest ? event.target.closest("[data-action], [data-goto]") : null;
    if (!target || this.finished) return;
    var action = target.getAttribute("data-action");
    var goto = target.getAttribute("data-goto");
    if (goto && this.sco) {
      event.preventDefault();
      var question = target.getAttribute("data-goto-question");
      this.go(parseInt(goto, 10), !question);
      if (question) this.focusQuestion(parseInt(question, 10));
      return;
    }
    var section = target.closest(".question");
    if (action === "check" && section) this.check(parseInt(section.getAttribute("data-index"), 10));
    else if (action === "retry" && section) this.retry(parseInt(section.getAttribute("data-index"), 10));
    else if (action === "retry") this.retryAll();
    else if (action === "finish") this.finish();
    else if (this.sco && (action === "next" || action === "prev")) {
      event.preventDefault();
      this.go(this.st.page + (action === "next" ? 1 : -1), true);
    }
  };

  Player.prototype.go = function (number, focus) {
    var data = this.data, self = this;
    number = Math.min(Math.max(number, 1), data.pages);
    Object.keys(this.pages).forEach(function (n) { show(self.pages[n], parseInt(n, 10) === number); });
    $$(this.doc, "[data-goto]").forEach(function (link) {
      if (link.getAttribute("data-goto-question")) return;
      if (parseInt(link.getAttribute("data-goto"), 10) === number) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    });
    $$(this.doc, "[data-action='prev']").forEach(function (b) { show(b, number > 1); });
    $$(this.doc, "[data-action='next']").forEach(function (b) { show(b, number < data.pages); });
    $$(this.doc, "[data-page-count]").forEach(function (el) {
      el.textContent = fill(self.strings.pageOf, { num: number, total: data.pages });
    });
    var page = this.pages[number];
    var heading = page && $(page, "h1");
    if (heading) {
      // Page, module, course: every page gets its own title, even when two modules share a page name.
      var eyebrow = $(page, ".eyebrow"), parts = [heading.textContent.trim()];
      if (eyebrow) parts.push(eyebrow.textContent.trim());
      parts.push(this.doc.body.getAttribute("data-course-title"));
      this.doc.title = parts.join(" · ");
    }
    this.st.page = number;
    this.st.visited[number] = true;
    this.markVisited();
    this.pageShown(number);
    if (focus && heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
    if (focus && root.scrollTo) root.scrollTo(0, 0);
    this.save();
  };

  /* The page list says which pages the learner has seen (a mark and its text for screen readers). */
  Player.prototype.markVisited = function () {
    var st = this.st, label = this.strings.visited;
    $$(this.doc, ".module-nav [data-goto], .module-nav [data-nav-page]").forEach(function (link) {
      var seen = !!st.visited[parseInt(link.getAttribute("data-goto") || link.getAttribute("data-nav-page"), 10)];
      var mark = $(link, "[data-visited]");
      link.classList.toggle("is-visited", seen);
      if (seen && !mark) {
        // A check mark for the eye, "(seen)" for screen readers.
        var doc = link.ownerDocument;
        mark = doc.createElement("span");
        mark.className = "visited-mark";
        mark.setAttribute("data-visited", "");
        var tick = doc.createElement("span");
        tick.setAttribute("aria-hidden", "true");
        tick.textContent = "\u2713";
        var text = doc.createElement("span");
        text.className = "visually-hidden";
        text.textContent = " (" + label + ")";
        mark.appendChild(tick);
        mark.appendChild(text);
        link.appendChild(mark);
      }
    });
  };

  Player.prototype.pageShown = function (number) {
    var now = Date.now(), self = this;
    this.data.questions.forEach(function (q, index) {
      if (q.page === number && !self.shownAt[index]) self.shownAt[index] = now;
    });
    if (number === this.data.resultPage || (!this.sco && this.resultPanel)) this.renderResult();
  };

  Player.prototype.focusQuestion = function (index) {
    var el = this.questionEl(index);
    if (!el) return;
    el.setAttribute("tabindex", "-1");
    el.focus();
  };

  // ---------------------------------------------------------------- questions

  Player.prototype.questionEl = function (index) {
    var q = this.data.questions[index];
    var page = this.sco ? this.pages[q.page] : q.page === this.here ? this.doc : null;
    return page ? $(page, "[data-question-id='" + q.id + "']") : null;
  };

  Player.prototype.setupQuestion = function (q, index) {
    var el = this.questionEl(index);
    if (!el) return;
    el.setAttribute("data-index", index);
    if (q.type === "fill-in") $(el, "input[type='text']").maxLength = q.max;
    if (q.shuffle && (q.type === "single" || q.type === "multiple")) {
      var box = $(el, ".choices"), choices = $$(box, ".choice");
      for (var i = choices.length - 1; i > 0; i--) {
        var j = Math.floor(Math.random() * (i + 1));
        var tmp = choices[i]; choices[i] = choices[j]; choices[j] = tmp;
      }
      choices.forEach(function (c) { box.appendChild(c); });
    }
    var at = this.st.answers[index];
    if (at) {
      this.putAnswer(q, el, at.a);
      this.showChecked(q, index, el, false);
    }
    if (this.review) {
      $$(el, "input, select").forEach(function (control) { control.disabled = true; });
      $$(el, "[data-action]").forEach(function (button) { show(button, false); });
    }
  };

  Player.prototype.readAnswer = function (q, el) {
    switch (q.type) {
      case "single":
      case "true-false":
        var picked = $(el, "input:checked");
        if (!picked) return null;
        if (q.type === "true-false") return picked.value === "true";
        return q.keys.indexOf(picked.getAttribute("data-choice-id"));
      case "multiple":
        return $$(el, "input:checked").map(function (i) { return q.keys.indexOf(i.getAttribute("data-choice-id")); })
          .sort(function (x, y) { return x - y; });
      case "fill-in":
        return $(el, "input[type='text']").value.slice(0, q.max);
      case "matching":
        return $$(el, "select[data-left-index]").sort(byAttr("data-left-index")).map(function (s) {
          return s.value === "" ? -1 : parseInt(s.value, 10);
        });
      default:
        return $$(el, "select[data-item-index]").sort(byAttr("data-item-index")).map(function (s) {
          return s.value === "" ? 0 : parseInt(s.value, 10);
        });
    }
  };

  function byAttr(name) {
    return function (x, y) { return parseInt(x.getAttribute(name), 10) - parseInt(y.getAttribute(name), 10); };
  }

  Player.prototype.putAnswer = function (q, el, a) {
    switch (q.type) {
      case "single":
      case "multiple":
        var chosen = q.type === "single" ? [a] : a;
        $$(el, "input[data-choice-id]").forEach(function (input) {
          input.checked = chosen.indexOf(q.keys.indexOf(input.getAttribute("data-choice-id"))) >= 0;
        });
        break;
      case "true-false":
        $$(el, "input[data-choice-id]").forEach(function (input) { input.checked = input.value === String(a); });
        break;
      case "fill-in":
        $(el, "input[type='text']").value = a;
        break;
      case "matching":
        $$(el, "select[data-left-index]").forEach(function (s) {
          var v = a[parseInt(s.getAttribute("data-left-index"), 10)];
          s.value = v >= 0 ? String(v) : "";
        });
        break;
      default:
        $$(el, "select[data-item-index]").forEach(function (s) {
          var v = a[parseInt(s.getAttribute("data-item-index"), 10)];
          s.value = v > 0 ? String(v) : "";
        });
    }
  };

  Player.prototype.check = function (index) {
    var q = this.data.questions[index], el = this.questionEl(index);
    var button = $(el, "[data-action='check']");
    if (button.getAttribute("aria-disabled") === "true") return;
    if (this.review) return;
    var a = this.readAnswer(q, el);
    if (!isAnswered(q, a)) {
      var need = q.type === "fill-in" ? "needText" : q.type === "matching" || q.type === "ordering" ? "needAll" : "needChoice";
      this.feedback(el, "is-hint", "<p>" + escapeHtml(this.strings[need]) + "</p>");
      return;
    }
    if (q.type === "ordering" && unique(a).length !== a.length) {
      // Two items at one position cannot be right: say so before an attempt is spent.
      this.feedback(el, "is-hint", "<p>" + escapeHtml(this.strings.needDistinct) + "</p>");
      return;
    }
    var previous = this.st.answers[index];
    if (isFinal(q, previous)) return; // locked: no attempt left, or already right
    this.st.answers[index] = { n: (previous ? previous.n : 0) + 1, a: a };
    var correct = isCorrect(q, a);
    this.tracker.interaction(q, a, correct, Date.now() - (this.shownAt[index] || Date.now()));
    this.showChecked(q, index, el, true);
    this.save();
  };

  /* Lock the question on its checked answer and give the feedback: the verdict, the chosen
     choices' own feedback, the correct/incorrect feedback, then the explanation. A question with a
     limit of attempts says how many are left and keeps the explanation until it is final; when the
     last attempt was wrong it shows the correct answer. */
  Player.prototype.showChecked = function (q, index, el, announce) {
    var at = this.st.answers[index], a = at.a, correct = isCorrect(q, a), strings = this.strings;
    var final = isFinal(q, at), left = attemptsLeft(q, at), limited = left !== null;
    $$(el, "input, select").forEach(function (control) { control.disabled = true; });
    var check = $(el, "[data-action='check']");
    check.setAttribute("aria-disabled", "true");
    show($(el, "[data-action='retry']"), !final);
    el.setAttribute("data-answered", correct ? "correct" : "incorrect");
    if (final) el.setAttribute("data-locked", "true");
    show($(el, "[data-attempts-note]"), !final);
    var reveal = final && !correct && limited;

    var parts = ["<p class=\"feedback-verdict\">" + escapeHtml(correct ? strings.correct : strings.incorrect) + "</p>"];
    if (q.type === "single" || q.type === "multiple" || q.type === "true-false") {
      var chosen = q.type === "multiple" ? a : [q.type === "true-false" ? (a ? "true" : "false") : q.keys[a]];
      var ids = q.type === "multiple" ? chosen.map(function (i) { return q.keys[i]; }) : chosen;
      var rightIds = q.type === "true-false" ? [String(q.answer)] : q.correct.map(function (i) { return q.keys[i]; });
      $$(el, ".choice").forEach(function (choice) {
        var id = $(choice, "input").getAttribute("data-choice-id");
        choice.classList.remove("is-correct", "is-incorrect", "is-answer");
        if (ids.indexOf(id) >= 0) choice.classList.add(rightIds.indexOf(id) >= 0 ? "is-correct" : "is-incorrect");
        else if (reveal && rightIds.indexOf(id) >= 0) choice.classList.add("is-answer");
      });
      var notes = ids.map(function (id) {
        var t = $(el, "template[data-feedback-for='" + id + "']");
        if (!t) return "";
        var label = q.type === "multiple" ? "<strong>" + $(el, "label[for='" + $(el, "input[data-choice-id='" + id + "']").id + "']").innerHTML + "</strong> " : "";
        return label + t.innerHTML;
      }).filter(Boolean);
      if (q.type === "multiple" && notes.length) {
        parts.push("<ul class=\"feedback-choices\"><li>" + notes.join("</li><li>") + "</li></ul>");
      } else if (notes.length) {
        parts.push("<p>" + notes[0] + "</p>");
      }
    } else if (!correct && (q.type === "matching" || q.type === "ordering")) {
      var partial = (strings.partial || {})[index];
      if (partial) parts.push("<p>" + escapeHtml(partial[rightSlots(q, a)]) + "</p>");
    }
    var template = function (kind) {
      var t = $(el, "template[data-feedback='" + kind + "']");
      if (t) parts.push("<div class=\"feedback-" + kind + "\">" + t.innerHTML + "</div>");
    };
    template(correct ? "correct" : "incorrect");
    if (limited && !final) {
      parts.push("<p class=\"feedback-attempts\">" + escapeHtml((strings.attemptsLeft || {})[left] || "") + "</p>");
    } else if (reveal) {
      parts.push("<p class=\"feedback-attempts\">" + escapeHtml(strings.noAttemptsLeft) + "</p>");
      template("answer");
    }
    // With a limit of attempts the explanation often gives the answer away: it waits for the final check.
    if (!limited || final) template("explanation");
    $$(el, "[data-answer-key]").forEach(function (key) { show(key, reveal); });
    this.feedback(el, correct ? "is-correct" : "is-incorrect", parts.join(""), announce);
  };

  Player.prototype.feedback = function (el, kind, html, announce) {
    var region = $(el, ".question-feedback");
    if (announce === false) {
      // Restoring a saved answer is not news: keep screen readers quiet about it.
      region.setAttribute("aria-live", "off");
      setTimeout(function () { region.setAttribute("aria-live", "polite"); }, 0);
    }
    region.classList.remove("is-correct", "is-incorrect", "is-hint");
    region.classList.add(kind);
    region.innerHTML = html;
  };

  Player.prototype.retry = function (index) {
    var el = this.questionEl(index);
    $$(el, "input, select").forEach(function (control) { control.disabled = false; });
    $$(el, ".choice").forEach(function (choice) { choice.classList.remove("is-correct", "is-incorrect", "is-answer"); });
    $(el, "[data-action='check']").removeAttribute("aria-disabled");
    show($(el, "[data-action='retry']"), false);
    $$(el, "[data-answer-key]").forEach(function (key) { show(key, false); });
    show($(el, "[data-attempts-note]"), true);
    el.removeAttribute("data-answered");
    el.removeAttribute("data-locked");
    var region = $(el, ".question-feedback");
    region.className = "question-feedback";
    region.innerHTML = "";
    this.shownAt[index] = Date.now();
    var first = $(el, "input:checked") || $(el, "input, select");
    if (first) first.focus();
  };

  /* After a failed result: a new try of the whole quiz. Every graded answer is cleared with its count of
     attempts, so questions with a limit open again; the LMS keeps every interaction already reported. */
  Player.prototype.retryAll = function () {
    var self = this, first = null;
    newTry(this.data, this.st).forEach(function (index) {
      var q = self.data.questions[index], el = self.questionEl(index);
      if (el) {
        self.retry(index);
        self.putAnswer(q, el, q.type === "multiple" ? [] : q.type === "fill-in" ? "" : q.type === "matching" ? fillArray(q.n, -1) : q.type === "ordering" ? fillArray(q.n, 0) : -1);
        if (q.type === "true-false") $$(el, "input").forEach(function (i) { i.checked = false; });
      }
      if (first === null) first = index;
    });
    this.save();
    if (first !== null && this.sco) {
      this.go(this.data.questions[first].page, false);
      this.focusQuestion(first);
    } else {
      this.renderResult();
    }
  };

  function fillArray(n, value) {
    var out = [];
    for (var i = 0; i < n; i++) out.push(value);
    return out;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;" }[c]; });
  }

  // ---------------------------------------------------------------- result

  Player.prototype.setupResult = function () {
    this.resultPanel = $(this.doc, "[data-result-panel]");
  };

  Player.prototype.contentPagesSeen = function () { return pagesSeen(this.data, this.st); };

  Player.prototype.isComplete = function (result) { return isComplete(this.data, this.st, result); };

  /* "3 pages not seen and 1 question not answered": what the completion rule still asks for, or "". */
  Player.prototype.missingText = function (result) {
    var gap = missing(this.data, this.st, result), strings = this.strings, parts = [];
    if (gap.pages > 0) parts.push((strings.missingPages || {})[gap.pages] || "");
    if (gap.questions > 0) parts.push((strings.missingQuestions || {})[gap.questions] || "");
    return parts.length === 2 ? fill(strings.both, { first: parts[0], second: parts[1] }) : parts.join("");
  };

  Player.prototype.percent = function (pct) {
    try {
      return new Intl.NumberFormat(this.lang, { style: "percent", maximumFractionDigits: 1 }).format(pct / 100);
    } catch (e) {
      return pct + " %";
    }
  };

  Player.prototype.renderResult = function () {
    var panel = this.resultPanel;
    if (!panel) return;
    var data = this.data, st = this.st, strings = this.strings;
    var result = summarize(data, st);
    var pages = this.contentPagesSeen();
    var lines = [];
    if (result.scored) {
      if (result.complete) {
        lines.push(fill(strings.scored, { score: this.percent(result.pct), pass: this.percent(data.passMark) }));
        lines.push(result.passed ? strings.passed : strings.failed);
      } else {
        lines.push(fill(strings.answered, { answered: result.answered }));
      }
    } else {
      lines.push(pages.seen === pages.total ? strings.completed : fill(strings.pagesSeen, { seen: pages.seen }));
    }
    var gap = this.missingText(result);
    if (gap) lines.push(fill(strings.notComplete, { missing: gap }));
    if (this.review && this.recorded && this.recorded.score !== null && !result.complete) {
      lines.push(fill(strings.recordedScore, { score: this.percent(this.recorded.score) }));
    }
    var summary = $(panel, "[data-result-summary]");
    summary.innerHTML = lines.map(function (l) { return "<p>" + escapeHtml(l) + "</p>"; }).join("");
    if (result.scored && result.complete) panel.setAttribute("data-result", result.passed ? "passed" : "failed");
    else panel.removeAttribute("data-result");
    panel.setAttribute("data-complete", gap ? "false" : "true");
    $$(panel, "[data-result-for]").forEach(function (item) {
      var index = parseInt(item.getAttribute("data-result-for"), 10);
      var at = st.answers[index];
      var state = !at ? "none" : isCorrect(data.questions[index], at.a) ? "right" : "wrong";
      item.setAttribute("data-state", state);
      $(item, "[data-mark]").textContent = strings["mark_" + state];
    });
    show($(panel, "[data-action='retry']"), !!(result.scored && result.complete && !result.passed && !this.review));
    show($(panel, "[data-action='finish']"), !this.review);
  };

  // ---------------------------------------------------------------- saving, finishing, notices

  Player.prototype.save = function () {
    if (this.finished) return;
    var result = summarize(this.data, this.st);
    var pages = this.contentPagesSeen();
    var steps = pages.total + result.graded;
    this.tracker.save({
      page: this.st.page,
      suspend: encodeState(this.data, this.st),
      result: result,
      complete: this.isComplete(result),
      progress: steps ? Math.round(((pages.seen + result.answered) / steps) * 10000) / 10000 : 1
    });
    if (this.resultPanel && (!this.sco || this.st.page === this.data.resultPage)) this.renderResult();
  };

  /* The finish button. With something still missing it first says what (a second press leaves anyway);
     then it reports the final state, ends the session and says truthfully where the learner stands.
     Only a complete module that is passed (or has no score) ends the attempt: after a failure the
     attempt stays open, so the learner can come back and try the questions again. */
  Player.prototype.finish = function () {
    var result = summarize(this.data, this.st);
    var complete = this.isComplete(result), gap = this.missingText(result);
    var warning = $(this.doc, "[data-finish-warning]");
    if (gap && warning && warning.hidden) {
      warning.textContent = fill(this.strings.finishWarning, { missing: gap });
      show(warning, true);
      return;
    }
    this.save();
    var failed = result.scored && result.complete && !result.passed;
    this.tracker.finish(complete && !failed);
    this.finished = true;
    var panel = $(this.doc, "[data-finished]");
    if (!panel) return;
    var self = this, strings = this.strings;
    var state = !complete ? "incomplete" : failed ? "failed" : result.scored ? "passed" : "done";
    Object.keys(this.pages).forEach(function (n) { show(self.pages[n], false); });
    $$(this.doc, "[data-hide-when-finished]").forEach(function (el) { show(el, false); });
    panel.setAttribute("data-finished", state);
    var heading = $(panel, "h1");
    heading.textContent = strings["finished_" + state];
    $(panel, "[data-finished-text]").textContent = fill(strings["finishedText_" + state], { missing: gap });
    show(panel, true);
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  };

  /* The page is going away (closed, reloaded, the LMS moved on): keep the attempt open for a resume. */
  Player.prototype.leave = function () {
    if (this.finished) return;
    this.finished = true;
    this.tracker.finish(false);
  };

  Player.prototype.trouble = function (bad) {
    this.notice(bad ? this.strings.lmsError : this.strings.lmsBack, bad ? "warning" : "info");
  };

  Player.prototype.notice = function (text, kind) {
    var box = $(this.doc, "[data-notice]");
    if (!box) return;
    box.className = "player-notice player-notice-" + kind;
    box.textContent = text;
    show(box, true);
  };

  function boot() {
    var dataEl = document.getElementById("pimlearn-data");
    var stringsEl = document.getElementById("pimlearn-strings");
    if (!dataEl || !stringsEl) return;
    var player = new Player(document, JSON.parse(dataEl.textContent), JSON.parse(stringsEl.textContent));
    root.pimlearnPlayer.instance = player;
    document.documentElement.classList.add("js");
    player.start();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})(typeof window !== "undefined" ? window : this);
