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
 * Enter or Space submits. "Verify without the puzzle" is the non-visual path: the widget solves a
 * proof of work in the background (a Web Worker) and no position is needed. Keyboard answers
 * carry a smaller proof of work too. Progress and results are announced in an aria-live region.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var base = script && script.src ? new URL(script.src, location.href).origin : location.origin;
  var FIELD = "rr-captcha-response";
  var MAX_POINTS = 900;
  // The service refuses answers sooner than a site's minimum after issue (600 ms by default).
  var MIN_ANSWER_DELAY_MS = 1000;

  /*
   * The proof of work: find the smallest nonce such that SHA-256(salt + nonce) starts with
   * `bits` zero bits. A plain SHA-256 of one block (salt and nonce are under 56 bytes), five to
   * eight times faster than crypto.subtle.digest per hash (whose every call is a promise), and written
   * as a factory so that the same source runs in the worker.
   */
  function makeZeroBits() {
    var K = new Uint32Array([0x428a2f98,0x71374491,0xb5c0fbcf,0xe9b5dba5,0x3956c25b,0x59f111f1,0x923f82a4,0xab1c5ed5,0xd807aa98,0x12835b01,0x243185be,0x550c7dc3,0x72be5d74,0x80deb1fe,0x9bdc06a7,0xc19bf174,0xe49b69c1,0xefbe4786,0x0fc19dc6,0x240ca1cc,0x2de92c6f,0x4a7484aa,0x5cb0a9dc,0x76f988da,0x983e5152,0xa831c66d,0xb00327c8,0xbf597fc7,0xc6e00bf3,0xd5a79147,0x06ca6351,0x14292967,0x27b70a85,0x2e1b2138,0x4d2c6dfc,0x53380d13,0x650a7354,0x766a0abb,0x81c2c92e,0x92722c85,0xa2bfe8a1,0xa81a664b,0xc24b8b70,0xc76c51a3,0xd192e819,0xd6990624,0xf40e3585,0x106aa070,0x19a4c116,0x1e376c08,0x2748774c,0x34b0bcb5,0x391c0cb3,0x4ed8aa4a,0x5b9cca4f,0x682e6ff3,0x748f82ee,0x78a5636f,0x84c87814,0x8cc70208,0x90befffa,0xa4506ceb,0xbef9a3f7,0xc67178f2]);
    var W = new Int32Array(64);
    function zeroBits(text) {
      var i, n = text.length;
      for (i = 0; i < 16; i++) W[i] = 0;
      for (i = 0; i < n; i++) W[i >> 2] |= text.charCodeAt(i) << (24 - (i & 3) * 8);
      W[n >> 2] |= 0x80 << (24 - (n & 3) * 8);
      W[15] = n * 8;
      for (i = 16; i < 64; i++) {
        var a = W[i - 15], b = W[i - 2];
        var s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
        var s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
        W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
      }
      var h0 = 0x6a09e667, h1 = 0xbb67ae85, h2 = 0x3c6ef372, h3 = 0xa54ff53a, h4 = 0x510e527f, h5 = 0x9b05688c, h6 = 0x1f83d9ab, h7 = 0x5be0cd19;
      var A = h0, B = h1, C = h2, D = h3, E = h4, F = h5, G = h6, H = h7;
      for (i = 0; i < 64; i++) {
        var S1 = ((E >>> 6) | (E << 26)) ^ ((E >>> 11) | (E << 21)) ^ ((E >>> 25) | (E << 7));
        var t1 = (H + S1 + ((E & F) ^ (~E & G)) + K[i] + W[i]) | 0;
        var S0 = ((A >>> 2) | (A << 30)) ^ ((A >>> 13) | (A << 19)) ^ ((A >>> 22) | (A << 10));
        var t2 = (S0 + ((A & B) ^ (A & C) ^ (B & C))) | 0;
        H = G; G = F; F = E; E = (D + t1) | 0; D = C; C = B; B = A; A = (t1 + t2) | 0;
      }
      var w0 = (h0 + A) | 0;
      if (w0 !== 0) return Math.clz32(w0);
      return 32 + Math.clz32((h1 + B) | 0);
    }
    return zeroBits;
  }

  function workerMain(scope, zeroBits) {
    scope.onmessage = function (e) {
      var salt = e.data.salt, bits = e.data.bits;
      for (var nonce = 0; ; nonce++) {
        if (zeroBits(salt + nonce) >= bits) {
          scope.postMessage({ nonce: nonce });
          return;
        }
      }
    };
  }

  var zeroBitsInPage = null;

  // Off the main thread when a worker can be made (a page's CSP may forbid blob: workers); else
  // in slices of the main thread that leave room for input and rendering between them.
  function solvePow(salt, bits, done) {
    var worker = null;
    try {
      var source = "(" + workerMain.toString() + ")(self, (" + makeZeroBits.toString() + ")());";
      var url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
      worker = new Worker(url);
      URL.revokeObjectURL(url);
    } catch (e) {
      worker = null;
    }
    if (worker) {
      worker.onmessage = function (e) { worker.terminate(); done(e.data.nonce); };
      worker.onerror = function (e) { e.preventDefault(); worker.terminate(); solveInPage(salt, bits, done); };
      worker.postMessage({ salt: salt, bits: bits });
      return;
    }
    solveInPage(salt, bits, done);
  }

  function solveInPage(salt, bits, done) {
    zeroBitsInPage = zeroBitsInPage || makeZeroBits();
    var nonce = 0;
    (function slice() {
      for (var end = nonce + 20000; nonce < end; nonce++) {
        if (zeroBitsInPage(salt + nonce) >= bits) { done(nonce); return; }
      }
      setTimeout(slice, 0);
    })();
  }

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
    this.status.setAttribute("role", "status");
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
    this.alt = el("button", "rrc-alt", c);
    this.alt.type = "button";
    this.alt.textContent = "Verify without the puzzle";
    this.alt.hidden = true;
    this.refresh = el("button", "rrc-refresh", c);
    this.refresh.type = "button";
    this.refresh.setAttribute("aria-label", "New puzzle");
    this.refresh.title = "New puzzle";
    this.refresh.innerHTML = "&#8635;";
    // Shown only when a puzzle could not be loaded: a visible way out of the error state.
    this.retry = el("button", "rrc-retry", c);
    this.retry.type = "button";
    this.retry.textContent = "Try again";
    this.retry.hidden = true;
    this.input = el("input", null, c);
    this.input.type = "hidden";
    this.input.name = FIELD;

    var self = this;
    this.refresh.addEventListener("click", function () { self.load(); });
    this.retry.addEventListener("click", function () { self.load(); });
    this.alt.addEventListener("click", function () { self.verifyWithoutPuzzle(); });
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

  /*
   * While a puzzle loads the controls say so instead of silently doing nothing: the widget is
   * aria-busy, the slider and the accessible button are aria-disabled (not disabled: a focused
   * button that becomes disabled loses focus, and a screen-reader user would be thrown back to the
   * top of the page), and the status line reads "Loading puzzle". A press of "Verify without the
   * puzzle" meanwhile is remembered and carried out once the puzzle is there.
   */
  Widget.prototype.setLoading = function (loading) {
    if (loading) {
      this.container.setAttribute("aria-busy", "true");
      this.handle.setAttribute("aria-disabled", "true");
      this.alt.setAttribute("aria-disabled", "true");
    } else {
      this.container.removeAttribute("aria-busy");
      this.handle.removeAttribute("aria-disabled");
      this.alt.removeAttribute("aria-disabled");
    }
  };

  Widget.prototype.failLoad = function (message, code) {
    this.busy = false;
    this.pendingAccessible = false;
    this.setLoading(false);
    this.retry.hidden = false;
    this.setState("error", message + " Press Try again to load a new puzzle.");
    callGlobal(this.container.getAttribute("data-error-callback"), code);
  };

  Widget.prototype.load = function () {
    var self = this;
    clearTimeout(this.expiryTimer);
    // A newer load (refresh pressed twice, an expiry) supersedes this one's answer.
    var attempt = this.loadAttempt = (this.loadAttempt || 0) + 1;
    this.input.value = "";
    this.challenge = null;
    this.busy = true;
    this.retry.hidden = true;
    this.setLoading(true);
    this.setState("loading", "Loading puzzle…");
    postJson("/api/v1/challenge", { siteKey: this.siteKey, action: this.action, cdata: this.cdata }).then(function (r) {
      if (attempt !== self.loadAttempt) return;
      if (r.status !== 200) {
        self.failLoad(r.status === 429 ? "Too many attempts; please wait a minute." : "The puzzle could not be loaded.", (r.body && r.body.error) || "load-failed");
        return;
      }
      var ch = r.body;
      self.challenge = ch;
      self.container.setAttribute("data-challenge-id", ch.challengeId);
      self.stage.style.aspectRatio = ch.width + " / " + ch.height;
      self.loadedAt = performance.now();
      self.alt.hidden = !(ch.pow && ch.pow.accessibleBits);
      self.bg.src = ch.background;
      self.piece.src = ch.piece;
      self.reset();
      self.busy = false;
      self.setLoading(false);
      self.setState("ready", self.alt.hidden ? "Puzzle ready. Slide the piece into the gap." : "Puzzle ready. Slide the piece into the gap, or choose Verify without the puzzle.");
      // Reload before the server forgets the challenge, so a slow user never gets an error.
      self.expiryTimer = setTimeout(function () { self.load(); }, Math.max(5, ch.expiresIn - 5) * 1000);
      if (self.pendingAccessible) {
        self.pendingAccessible = false;
        if (!self.alt.hidden) self.submit("accessible");
      }
    }, function () {
      if (attempt !== self.loadAttempt) return;
      self.failLoad("The puzzle could not be loaded.", "load-failed");
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

  Widget.prototype.verifyWithoutPuzzle = function () {
    if (this.container.getAttribute("data-state") === "loading") {
      // Queued, and said so: the press is not lost while the puzzle loads.
      this.pendingAccessible = true;
      this.status.textContent = "Loading puzzle… Verification without the puzzle starts as soon as it is ready.";
      return;
    }
    if (!this.canMove()) return;
    this.submit("accessible");
  };

  /* Pointer answers go at once; keyboard and accessible ones first solve their proof of work. */
  Widget.prototype.submit = function (input) {
    var self = this;
    var ch = this.challenge;
    this.busy = true;
    var bits = input === "keyboard" ? ch.pow && ch.pow.keyboardBits : input === "accessible" ? ch.pow && ch.pow.accessibleBits : 0;
    if (!bits) {
      this.setState("checking", "Checking…");
      this.send(input, undefined);
      return;
    }
    this.setState("checking", input === "accessible" ? "Verifying without the puzzle. This takes a few seconds…" : "Checking…");
    this.container.setAttribute("aria-busy", "true");
    var started = performance.now();
    var still = setTimeout(function () { self.status.textContent = "Still verifying, please wait…"; }, 4000);
    solvePow(ch.pow.salt, bits, function (nonce) {
      clearTimeout(still);
      self.container.setAttribute("data-pow-ms", String(Math.round(performance.now() - started)));
      if (self.challenge !== ch) return;
      var wait = Math.max(0, MIN_ANSWER_DELAY_MS - (performance.now() - self.loadedAt));
      setTimeout(function () { self.send(input, nonce); }, wait);
    });
  };

  Widget.prototype.send = function (input, nonce) {
    var self = this;
    var ch = this.challenge;
    var body = input === "accessible"
      ? { challengeId: ch.challengeId, input: input, nonce: nonce }
      : { challengeId: ch.challengeId, offset: this.offset, input: input, track: this.track, nonce: nonce };
    postJson("/api/v1/verify", body).then(function (r) {
      self.busy = false;
      self.container.removeAttribute("aria-busy");
      if (r.status === 200 && r.body.success) {
        self.input.value = r.body.token;
        self.setState("solved", "Verified. You can continue.");
        self.alt.hidden = true;
        callGlobal(self.container.getAttribute("data-callback"), r.body.token);
        clearTimeout(self.expiryTimer);
        self.expiryTimer = setTimeout(function () {
          callGlobal(self.container.getAttribute("data-expired-callback"));
          self.load();
        }, r.body.expiresIn * 1000);
        return;
      }
      self.setState("failed", r.status === 200 ? "Not quite. Try the new puzzle." : r.status === 429 ? "Too many attempts; please wait or solve the puzzle." : "That puzzle expired. Here is a new one.");
      callGlobal(self.container.getAttribute("data-error-callback"), (r.body && r.body.error) || "failed");
      // One attempt per challenge: a new puzzle replaces the used one.
      setTimeout(function () { self.load(); }, 1200);
    }, function () {
      self.busy = false;
      self.container.removeAttribute("aria-busy");
      // The challenge may or may not have been used: only a new one is safe to answer.
      self.retry.hidden = false;
      self.setState("error", "Could not reach the captcha service. Press Try again to load a new puzzle.");
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
