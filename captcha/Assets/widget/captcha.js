/*
 * RedisRing Captcha widget: a slide puzzle. No dependencies.
 *
 *   <div class="rr-captcha" data-sitekey="..." data-callback="onSolved"></div>
 *   <script src="https://captcha.example/widget/captcha.js" async></script>
 *
 * Inside a form it adds a hidden field "rr-captcha-response" holding the pass token, which the
 * site's backend redeems with POST /siteverify. Optional attributes: data-action, data-cdata,
 * data-callback, data-expired-callback, data-error-callback (names of global functions).
 * Mouse, touch and pen drag the handle; the arrow keys move it too (Shift for bigger steps),
 * Enter or Space submits.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var base = script && script.src ? new URL(script.src, location.href).origin : location.origin;
  var FIELD = "rr-captcha-response";
  var MAX_POINTS = 900;

  function el(tag, className, parent) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (parent) parent.appendChild(node);
    return node;
  }

  function callGlobal(name, arg) {
    if (name && typeof window[name] === "function") {
      try { window[name](arg); } catch (e) { setTimeout(function () { throw e; }); }
    }
  }

  function postJson(path, body) {
    return fetch(base + path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "omit"
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        return { status: response.status, body: json };
      });
    });
  }

  function ensureStylesheet() {
    if (document.querySelector("link[data-rr-captcha]")) return;
    var link = el("link");
    link.rel = "stylesheet";
    link.href = base + "/widget/captcha.css";
    link.setAttribute("data-rr-captcha", "");
    document.head.appendChild(link);
  }

  function Widget(container) {
    this.container = container;
    this.siteKey = container.getAttribute("data-sitekey");
    this.action = container.getAttribute("data-action") || undefined;
    this.cdata = container.getAttribute("data-cdata") || undefined;
    this.challenge = null;
    this.offset = 0;
    this.track = [];
    this.busy = false;
    this.expiry = 0;
    this.build();
    this.load();
  }

  Widget.prototype.build = function () {
    var c = this.container;
    c.classList.add("rrc");
    c.innerHTML = "";
    this.stage = el("div", "rrc-stage", c);
    this.bg = el("img", "rrc-bg", this.stage);
    this.bg.alt = "Puzzle background with a missing piece";
    this.bg.draggable = false;
    this.piece = el("img", "rrc-piece", this.stage);
    this.piece.alt = "";
    this.piece.draggable = false;
    this.status = el("div", "rrc-status", c);
    this.status.setAttribute("aria-live", "polite");
    var bar = el("div", "rrc-bar", c);
    this.fill = el("div", "rrc-fill", bar);
    this.hint = el("span", "rrc-hint", bar);
    this.hint.textContent = "Slide to complete the puzzle";
    this.handle = el("div", "rrc-handle", bar);
    this.handle.setAttribute("role", "slider");
    this.handle.setAttribute("tabindex", "0");
    this.handle.setAttribute("aria-label", "Move the puzzle piece: arrow keys, then Enter");
    this.handle.setAttribute("aria-valuemin", "0");
    this.handle.setAttribute("aria-valuemax", "100");
    this.handle.setAttribute("aria-valuenow", "0");
    this.handle.innerHTML = "&#10142;";
    this.refresh = el("button", "rrc-refresh", c);
    this.refresh.type = "button";
    this.refresh.setAttribute("aria-label", "New puzzle");
    this.refresh.title = "New puzzle";
    this.refresh.innerHTML = "&#8635;";
    this.input = el("input", null, c);
    this.input.type = "hidden";
    this.input.name = FIELD;

    var self = this;
    this.refresh.addEventListener("click", function () { self.load(); });
    this.handle.addEventListener("pointerdown", function (e) { self.onDown(e); });
    this.handle.addEventListener("pointermove", function (e) { self.onMove(e); });
    this.handle.addEventListener("pointerup", function (e) { self.onUp(e); });
    this.handle.addEventListener("pointercancel", function () { self.reset(); });
    this.handle.addEventListener("keydown", function (e) { self.onKey(e); });
    window.addEventListener("resize", function () { self.place(); });
  };

  Widget.prototype.setState = function (state, message) {
    this.container.setAttribute("data-state", state);
    this.status.textContent = message || "";
  };

  Widget.prototype.load = function () {
    var self = this;
    clearTimeout(this.expiryTimer);
    this.input.value = "";
    this.challenge = null;
    this.busy = true;
    this.setState("loading", "Loading puzzle…");
    postJson("/api/v1/challenge", { siteKey: this.siteKey, action: this.action, cdata: this.cdata }).then(function (r) {
      if (r.status !== 200) {
        self.busy = false;
        self.setState("error", r.status === 429 ? "Too many attempts; please wait a minute." : "The puzzle could not be loaded.");
        callGlobal(self.container.getAttribute("data-error-callback"), r.body && r.body.error);
        return;
      }
      var ch = r.body;
      self.challenge = ch;
      self.container.setAttribute("data-challenge-id", ch.challengeId);
      self.stage.style.aspectRatio = ch.width + " / " + ch.height;
      self.bg.src = ch.background;
      self.piece.src = ch.piece;
      self.reset();
      self.busy = false;
      self.setState("ready", "");
      // Reload before the server forgets the challenge, so a slow user never gets an error.
      self.expiryTimer = setTimeout(function () { self.load(); }, Math.max(5, ch.expiresIn - 5) * 1000);
    }, function () {
      self.busy = false;
      self.setState("error", "The puzzle could not be loaded.");
    });
  };

  Widget.prototype.maxOffset = function () {
    var ch = this.challenge;
    return ch ? (ch.width - ch.pieceSize) / ch.width : 0;
  };

  Widget.prototype.place = function () {
    var ch = this.challenge;
    if (!ch) return;
    var width = this.stage.clientWidth;
    var scale = width / ch.width;
    this.piece.style.width = ch.pieceSize * scale + "px";
    this.piece.style.top = ch.pieceY * scale + "px";
    this.piece.style.left = this.offset * width + "px";
    // The handle moves with the pointer exactly as the piece does, so the track's travel is the offset.
    this.handle.style.left = this.offset * width + "px";
    this.fill.style.width = this.offset * width + this.handle.offsetWidth / 2 + "px";
    var max = this.maxOffset();
    this.handle.setAttribute("aria-valuenow", String(max > 0 ? Math.round(this.offset / max * 100) : 0));
  };

  Widget.prototype.reset = function () {
    this.offset = 0;
    this.track = [];
    this.dragging = false;
    this.keyStart = 0;
    this.place();
  };

  Widget.prototype.canMove = function () {
    return this.challenge && !this.busy && this.container.getAttribute("data-state") === "ready";
  };

  Widget.prototype.record = function (x, y) {
    if (this.track.length >= MAX_POINTS) return;
    var now = performance.now();
    if (!this.track.length) this.t0 = now;
    this.track.push({ x: x, y: y, t: Math.round((now - this.t0) * 10) / 10 });
  };

  Widget.prototype.relative = function (e) {
    var rect = this.stage.getBoundingClientRect();
    return { x: (e.clientX - rect.left) / rect.width, y: (e.clientY - rect.top) / rect.width };
  };

  Widget.prototype.onDown = function (e) {
    if (!this.canMove()) return;
    e.preventDefault();
    this.handle.setPointerCapture(e.pointerId);
    this.dragging = true;
    this.startX = e.clientX;
    this.track = [];
    var p = this.relative(e);
    this.record(p.x, p.y);
    this.container.classList.add("rrc-dragging");
  };

  Widget.prototype.onMove = function (e) {
    if (!this.dragging) return;
    var width = this.stage.clientWidth;
    this.offset = Math.min(this.maxOffset(), Math.max(0, (e.clientX - this.startX) / width));
    var p = this.relative(e);
    this.record(p.x, p.y);
    this.place();
  };

  Widget.prototype.onUp = function (e) {
    if (!this.dragging) return;
    this.dragging = false;
    this.container.classList.remove("rrc-dragging");
    var p = this.relative(e);
    this.record(p.x, p.y);
    this.submit("pointer");
  };

  Widget.prototype.onKey = function (e) {
    if (!this.canMove()) return;
    var step = e.shiftKey ? 0.05 : 0.01;
    if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
      e.preventDefault();
      if (!this.track.length) this.record(0, 0);
      var next = this.offset + (e.key === "ArrowRight" ? step : -step);
      this.offset = Math.min(this.maxOffset(), Math.max(0, Math.round(next * 1000) / 1000));
      this.record(this.offset, 0);
      this.place();
    } else if ((e.key === "Enter" || e.key === " ") && this.track.length) {
      e.preventDefault();
      this.submit("keyboard");
    }
  };

  Widget.prototype.submit = function (input) {
    var self = this;
    var ch = this.challenge;
    this.busy = true;
    this.setState("checking", "Checking…");
    postJson("/api/v1/verify", { challengeId: ch.challengeId, offset: this.offset, input: input, track: this.track }).then(function (r) {
      self.busy = false;
      if (r.status === 200 && r.body.success) {
        self.input.value = r.body.token;
        self.setState("solved", "Verified");
        callGlobal(self.container.getAttribute("data-callback"), r.body.token);
        clearTimeout(self.expiryTimer);
        self.expiryTimer = setTimeout(function () {
          callGlobal(self.container.getAttribute("data-expired-callback"));
          self.load();
        }, r.body.expiresIn * 1000);
        return;
      }
      self.setState("failed", r.status === 200 ? "Not quite. Try the new puzzle." : "That puzzle expired. Here is a new one.");
      callGlobal(self.container.getAttribute("data-error-callback"), (r.body && r.body.error) || "failed");
      // One attempt per challenge: a new puzzle replaces the used one.
      setTimeout(function () { self.load(); }, 1200);
    }, function () {
      self.busy = false;
      self.setState("error", "Could not reach the captcha service.");
    });
  };

  var widgets = [];

  function renderAll() {
    ensureStylesheet();
    var nodes = document.querySelectorAll(".rr-captcha");
    for (var i = 0; i < nodes.length; i++) {
      if (!nodes[i].rrCaptcha) {
        nodes[i].rrCaptcha = new Widget(nodes[i]);
        widgets.push(nodes[i].rrCaptcha);
      }
    }
  }

  window.rrCaptcha = {
    render: function (container) { ensureStylesheet(); container.rrCaptcha = new Widget(container); widgets.push(container.rrCaptcha); return container.rrCaptcha; },
    reset: function (container) { (container || widgets[0].container).rrCaptcha.load(); },
    getResponse: function (container) { return (container || widgets[0].container).rrCaptcha.input.value; }
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", renderAll);
  } else {
    renderAll();
  }
})();
