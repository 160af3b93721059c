/* pimlearn slide deck: navigation, speaker view, answers, printing.
   Plain ES2017, no libraries, no network: the deck is one file that must work from file://
   on an offline laptop. Every string shown comes from the page (translated at build time). */
(function () {
  "use strict";

  var root = document.documentElement;
  root.classList.add("js");
  var data = JSON.parse(document.getElementById("deck-data").textContent);
  var S = data.strings;
  var rtl = root.dir === "rtl";
  var units = Array.prototype.slice.call(document.querySelectorAll(".unit"));
  var total = units.length;
  var index = 0;
  var revealed = {};
  var speaker = /^#speaker/.test(location.hash);
  var sourceId = Math.random().toString(36).slice(2);
  var announcer = document.getElementById("announcer");
  var counter = document.querySelector(".counter");
  var bar = document.querySelector(".progress span");
  var blackout = null;
  var jumpBuffer = "";
  var jumpTimer = null;
  var jumpBox = null;
  var peer = null;
  var channel = null;

  function fmt(pattern, values) {
    return pattern.replace(/\{(\w+)\}/g, function (_, k) { return values[k]; });
  }

  function slideOf(i) { return units[i].querySelector(".slide"); }
  function titleOf(i) {
    var t = slideOf(i).querySelector(".slide-title");
    return t ? t.textContent.replace(/\s+/g, " ").trim() : "";
  }

  /* ------------------------------------------------------------ scaling to the window */

  function scaleTo(el, width, height) {
    var k = Math.min(width / 1280, height / 720);
    el.style.setProperty("--scale", String(k));
    return k;
  }
  function fitWindow() {
    if (!speaker) { scaleTo(root, window.innerWidth, window.innerHeight); }
    else { layoutSpeaker(); }
  }

  /* A safety net behind the build-time estimate: shrink text that still overflows. */
  function autofit(slide) {
    var boxes = slide.querySelectorAll(".slide-body, .text-col");
    for (var b = 0; b < boxes.length; b++) {
      var box = boxes[b];
      var fit = parseFloat(getComputedStyle(slide).getPropertyValue("--fit")) || 1;
      var guard = 0;
      while (box.scrollHeight > box.clientHeight + 2 && fit > 0.6 && guard++ < 10) {
        fit = Math.round((fit - 0.05) * 100) / 100;
        slide.style.setProperty("--fit", String(fit));
      }
    }
  }

  /* ------------------------------------------------------------ navigation */

  function hashFor(i) { return (speaker ? "#speaker/" : "#") + (i + 1); }

  function show(i, opts) {
    opts = opts || {};
    i = Math.max(0, Math.min(total - 1, i));
    var changed = i !== index || opts.force;
    units[index].classList.remove("is-current");
    units[index].removeAttribute("aria-current");
    index = i;
    units[index].classList.add("is-current");
    var slide = slideOf(index);
    setRevealed(slide, !!revealed[index], false);
    if (!speaker) { autofit(slide); }
    if (counter) { counter.textContent = fmt(S.count, { num: index + 1, total: total }); }
    if (bar) { bar.style.width = (total > 1 ? (index / (total - 1)) * 100 : 100) + "%"; }
    if (history.replaceState) { history.replaceState(null, "", hashFor(index)); }
    if (changed && !opts.quiet) {
      announce(fmt(S.announce, { num: index + 1, total: total, title: titleOf(index) }));
    }
    if (speaker) { renderSpeaker(); }
    if (!opts.remote) { broadcast(); }
  }

  function question(i) { return slideOf(i).classList.contains("slide-question"); }

  function next() {
    // A clicker has only "next": on a question slide the first press shows the answer.
    if (question(index) && !revealed[index]) { reveal(true); return; }
    if (index < total - 1) { show(index + 1); }
  }
  function prev() {
    if (index > 0) { show(index - 1); }
  }

  function setRevealed(slide, on, speak) {
    if (!slide.classList.contains("slide-question")) { return; }
    var ask = slide.querySelector(".q-ask");
    var answer = slide.querySelector(".q-answer");
    var button = slide.querySelector(".reveal-button");
    slide.classList.toggle("is-revealed", on);
    if (ask) { ask.hidden = on; }
    if (answer) { answer.hidden = !on; }
    if (button) {
      button.setAttribute("aria-expanded", on ? "true" : "false");
      button.textContent = on ? S.hideAnswer : S.showAnswer;
    }
    if (on && !speaker) { autofit(slide); }
    if (speak) { announce(on ? S.answerShown + " " + (answer ? answer.textContent.replace(/\s+/g, " ").trim() : "") : S.answerHidden); }
  }

  function reveal(on) {
    if (!question(index)) { return; }
    revealed[index] = on;
    setRevealed(slideOf(index), on, true);
    if (speaker) { renderSpeaker(); }
    broadcast();
  }

  function announce(text) {
    if (!announcer) { return; }
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 30);
  }

  function toggleBlackout(on) {
    var want = on === undefined ? !blackout : on;
    if (want && !blackout) {
      blackout = document.createElement("div");
      blackout.className = "blackout";
      document.body.appendChild(blackout);
    } else if (!want && blackout) {
      blackout.remove();
      blackout = null;
    }
  }

  function jump(digit) {
    jumpBuffer += digit;
    if (!jumpBox) {
      jumpBox = document.createElement("div");
      jumpBox.className = "jump";
      jumpBox.setAttribute("role", "status");
      document.body.appendChild(jumpBox);
    }
    jumpBox.textContent = fmt(S.goTo, { num: jumpBuffer });
    window.clearTimeout(jumpTimer);
    jumpTimer = window.setTimeout(clearJump, 3000);
  }
  function clearJump() {
    jumpBuffer = "";
    if (jumpBox) { jumpBox.remove(); jumpBox = null; }
  }

  function fullscreen() {
    if (document.fullscreenElement) { document.exitFullscreen(); }
    else if (root.requestFullscreen) { root.requestFullscreen().catch(function () {}); }
  }

  function printDeck(handout) {
    root.classList.toggle("handout", !!handout);
    window.print();
  }
  window.addEventListener("afterprint", function () { root.classList.remove("handout"); });

  function openSpeaker() {
    var url = location.href.split("#")[0] + "#speaker/" + (index + 1);
    peer = window.open(url, "pimlearn-speaker-" + data.id, "width=1200,height=760") || peer;
  }

  function help() {
    var dialog = document.getElementById("help");
    if (dialog && dialog.showModal && !dialog.open) { dialog.showModal(); }
  }

  function interactive(el) {
    return el && el.closest && el.closest("a, button, input, select, textarea, summary, dialog, [contenteditable]");
  }

  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) { return; }
    var dialog = document.getElementById("help");
    if (dialog && dialog.open) { return; }
    var key = e.key;
    var onControl = interactive(e.target);
    if (/^[0-9]$/.test(key)) { jump(key); e.preventDefault(); return; }
    if (key === "Enter" && jumpBuffer) {
      var n = parseInt(jumpBuffer, 10);
      clearJump();
      if (n >= 1) { show(n - 1); }
      e.preventDefault();
      return;
    }
    if (onControl && (key === " " || key === "Enter")) { return; }
    // On the speaker view's notes panel, the scrolling keys scroll the notes (left/right still change slides).
    if (e.target.closest && e.target.closest(".sv-side") && /^(ArrowUp|ArrowDown|PageUp|PageDown|Home|End| )$/.test(key)) { return; }
    var forward = rtl ? "ArrowLeft" : "ArrowRight";
    var back = rtl ? "ArrowRight" : "ArrowLeft";
    var handled = true;
    if (blackout && key !== "b" && key !== "B" && key !== ".") { toggleBlackout(false); }
    if (key === forward || key === "ArrowDown" || key === "PageDown" || (key === " " && !e.shiftKey) || key === "n" || key === "N") { next(); }
    else if (key === back || key === "ArrowUp" || key === "PageUp" || (key === " " && e.shiftKey) || key === "Backspace" || key === "p" || key === "P") { prev(); }
    else if (key === "Home") { show(0); }
    else if (key === "End") { show(total - 1); }
    else if (key === "a" || key === "A") { reveal(!revealed[index]); }
    else if (key === "s" || key === "S") { if (!speaker) { openSpeaker(); } }
    else if (key === "b" || key === "B" || key === ".") { toggleBlackout(); }
    else if (key === "f" || key === "F") { fullscreen(); }
    else if (key === "h" || key === "H") { printDeck(true); }
    else if (key === "?") { help(); }
    else if (key === "Escape") { clearJump(); toggleBlackout(false); }
    else { handled = false; }
    if (handled) { e.preventDefault(); }
  });

  document.addEventListener("click", function (e) {
    var control = e.target.closest && e.target.closest("[data-deck]");
    if (control) {
      var act = control.getAttribute("data-deck");
      if (act === "next") { next(); }
      else if (act === "prev") { prev(); }
      else if (act === "reveal") { reveal(!revealed[index]); }
      else if (act === "speaker") { openSpeaker(); }
      else if (act === "print") { printDeck(false); }
      else if (act === "handout") { printDeck(true); }
      else if (act === "fullscreen") { fullscreen(); }
      else if (act === "help") { help(); }
      else if (act === "close-help") { document.getElementById("help").close(); }
      else if (act === "timer") { toggleTimer(); }
      else if (act === "reset") { resetTimer(); }
      return;
    }
    if (speaker || interactive(e.target) || e.button !== 0) { return; }
    if (e.target.closest && e.target.closest(".deck")) { next(); }
  });

  var touchX = null;
  var touchY = null;
  document.addEventListener("touchstart", function (e) {
    touchX = e.touches[0].clientX;
    touchY = e.touches[0].clientY;
  }, { passive: true });
  document.addEventListener("touchend", function (e) {
    if (touchX === null) { return; }
    var dx = e.changedTouches[0].clientX - touchX;
    var dy = e.changedTouches[0].clientY - touchY;
    touchX = null;
    if (Math.abs(dx) < 50 || Math.abs(dx) < Math.abs(dy)) { return; }
    // Swipe towards the start of the line to go on (leftwards, or rightwards in RTL).
    if ((dx < 0) !== rtl) { next(); } else { prev(); }
  });

  var idle = null;
  document.addEventListener("mousemove", function () {
    root.classList.add("show-ui");
    window.clearTimeout(idle);
    idle = window.setTimeout(function () { root.classList.remove("show-ui"); }, 2500);
  });

  window.addEventListener("hashchange", function () {
    var n = fromHash();
    if (n !== null && n !== index) { show(n); }
  });
  window.addEventListener("resize", fitWindow);

  function fromHash() {
    var m = /(\d+)\s*$/.exec(location.hash);
    if (!m) { return null; }
    var n = parseInt(m[1], 10) - 1;
    return n >= 0 && n < total ? n : null;
  }

  /* ------------------------------------------------------------ keeping two windows in step */

  function state() { return { deck: data.key, from: sourceId, index: index, revealed: !!revealed[index] }; }

  function broadcast() {
    var msg = state();
    msg.type = "state";
    send(msg);
  }

  function send(msg) {
    if (channel) { try { channel.postMessage(msg); } catch (err) { /* closed */ } }
    var targets = [window.opener, peer];
    for (var t = 0; t < targets.length; t++) {
      var w = targets[t];
      if (w && !w.closed && w !== window) {
        try { w.postMessage(msg, "*"); } catch (err) { /* gone */ }
      }
    }
  }

  function receive(msg) {
    if (!msg || msg.deck !== data.key || msg.from === sourceId) { return; }
    if (msg.type === "hello") { broadcast(); return; }
    if (msg.type !== "state") { return; }
    revealed[msg.index] = msg.revealed;
    if (msg.index !== index) { show(msg.index, { remote: true, quiet: speaker }); }
    else {
      setRevealed(slideOf(index), msg.revealed, false);
      if (speaker) { renderSpeaker(); }
    }
  }

  window.addEventListener("message", function (e) {
    // Only windows of this same deck talk to each other (file:// pages have an opaque origin).
    if (e.source && (e.source === window.opener || e.source === peer)) { receive(e.data); }
    else if (e.data && e.data.deck === data.key && !peer && e.source && e.source.opener === window) {
      peer = e.source;
      receive(e.data);
    }
  });
  try {
    channel = new BroadcastChannel("pimlearn-deck-" + data.key);
    channel.onmessage = function (e) { receive(e.data); };
  } catch (err) { channel = null; }

  /* ------------------------------------------------------------ speaker view */

  var sv = null;
  var timerStart = null;
  var timerElapsed = 0;
  var timerRunning = true;

  function elapsedMs() { return timerElapsed + (timerRunning && timerStart ? Date.now() - timerStart : 0); }
  function toggleTimer() {
    if (timerRunning) { timerElapsed = elapsedMs(); timerRunning = false; }
    else { timerStart = Date.now(); timerRunning = true; }
    tick();
  }
  function resetTimer() { timerElapsed = 0; timerStart = Date.now(); tick(); }

  function clock(ms) {
    var s = Math.floor(ms / 1000);
    var h = Math.floor(s / 3600);
    var m = Math.floor((s % 3600) / 60);
    var sec = s % 60;
    return (h ? h + ":" + (m < 10 ? "0" : "") : "") + m + ":" + (sec < 10 ? "0" : "") + sec;
  }

  function tick() {
    if (!sv) { return; }
    var ms = elapsedMs();
    sv.elapsed.textContent = clock(ms);
    var now = new Date();
    sv.clock.textContent = now.toLocaleTimeString(root.lang, { hour: "2-digit", minute: "2-digit" });
    sv.timer.textContent = timerRunning ? S.pause : S.resume;
    var minutes = ms / 60000;
    var items = sv.plan ? sv.plan.querySelectorAll("li") : [];
    var start = 0;
    for (var i = 0; i < items.length; i++) {
      var len = data.session[i].minutes;
      items[i].classList.toggle("is-now", minutes >= start && minutes < start + len);
      start += len;
    }
    if (data.duration) {
      sv.elapsed.classList.toggle("sv-overtime", minutes > data.duration);
    }
  }

  function cloneSlide(i) {
    var copy = slideOf(i).cloneNode(true);
    var all = [copy].concat(Array.prototype.slice.call(copy.querySelectorAll("[id]")));
    all.forEach(function (el) { el.removeAttribute("id"); });
    copy.removeAttribute("aria-labelledby");
    copy.setAttribute("aria-hidden", "true");
    copy.querySelectorAll("button").forEach(function (b) { b.tabIndex = -1; });
    return copy;
  }

  function place(frame, slide) {
    frame.textContent = "";
    if (!slide) { return; }
    frame.appendChild(slide);
    var k = Math.min(frame.clientWidth / 1280, frame.clientHeight / 720);
    slide.style.transform = "scale(" + k + ")";
  }

  function layoutSpeaker() {
    if (!sv) { return; }
    renderSpeaker();
  }

  function renderSpeaker() {
    if (!sv) { return; }
    place(sv.current, cloneSlide(index));
    if (index + 1 < total) { place(sv.next, cloneSlide(index + 1)); sv.nextEnd.hidden = true; }
    else { place(sv.next, null); sv.nextEnd.hidden = false; }
    var notes = units[index].querySelector(".notes");
    sv.notes.textContent = "";
    if (notes && notes.children.length) {
      Array.prototype.forEach.call(notes.children, function (child) {
        if (child.tagName !== "H2") { sv.notes.appendChild(child.cloneNode(true)); }
      });
    } else {
      var p = document.createElement("p");
      p.className = "sv-notes-empty";
      p.textContent = S.noNotes;
      sv.notes.appendChild(p);
    }
    sv.count.textContent = fmt(S.count, { num: index + 1, total: total });
    sv.title.textContent = titleOf(index);
  }

  function startSpeaker() {
    root.classList.add("speaker");
    var tpl = document.getElementById("speaker-template");
    document.body.appendChild(tpl.content.cloneNode(true));
    var view = document.querySelector(".speaker-view");
    sv = {
      current: view.querySelector(".sv-current .sv-frame"),
      next: view.querySelector(".sv-next .sv-frame"),
      nextEnd: view.querySelector(".sv-end"),
      notes: view.querySelector(".sv-notes"),
      count: view.querySelector(".sv-count"),
      title: view.querySelector(".sv-title"),
      elapsed: view.querySelector(".sv-elapsed"),
      clock: view.querySelector(".sv-clock"),
      timer: view.querySelector("[data-deck=timer]"),
      plan: view.querySelector(".sv-plan")
    };
    document.title = S.speakerTitle;
    timerStart = Date.now();
    window.setInterval(tick, 1000);
    tick();
    send({ type: "hello", deck: data.key, from: sourceId });
  }

  /* ------------------------------------------------------------ start */

  var revealButtons = document.querySelectorAll(".reveal-button");
  for (var r = 0; r < revealButtons.length; r++) { revealButtons[r].hidden = false; }
  if (speaker) { startSpeaker(); }
  var start = fromHash();
  units[0].classList.add("is-current");
  show(start === null ? 0 : start, { force: true, quiet: true });
  fitWindow();
})();
