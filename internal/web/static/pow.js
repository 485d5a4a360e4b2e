// relais contest proof of work: finds a counter such that
// SHA-256(challenge + ":" + counter) starts with the required number of zero
// bits (the challenge says how many), then submits the vote form. Our own
// SHA-256, no library, no third-party script; it works on plain http too,
// where crypto.subtle is not available.
(function () {
  "use strict";
  var K = new Uint32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2]);
  var W = new Uint32Array(64);

  // sha256First returns the first 32-bit word of SHA-256(bytes) (enough to
  // count up to 32 leading zero bits) and the second word for more.
  function sha256(bytes) {
    var n = bytes.length, blocks = ((n + 9 + 63) >> 6), buf = new Uint8Array(blocks * 64);
    buf.set(bytes);
    buf[n] = 0x80;
    var bitsLen = n * 8;
    buf[buf.length - 4] = bitsLen >>> 24; buf[buf.length - 3] = bitsLen >>> 16;
    buf[buf.length - 2] = bitsLen >>> 8; buf[buf.length - 1] = bitsLen;
    var h0 = 0x6a09e667, h1 = 0xbb67ae85, h2 = 0x3c6ef372, h3 = 0xa54ff53a,
      h4 = 0x510e527f, h5 = 0x9b05688c, h6 = 0x1f83d9ab, h7 = 0x5be0cd19;
    for (var o = 0; o < buf.length; o += 64) {
      for (var i = 0; i < 16; i++) {
        W[i] = (buf[o + 4 * i] << 24) | (buf[o + 4 * i + 1] << 16) | (buf[o + 4 * i + 2] << 8) | buf[o + 4 * i + 3];
      }
      for (i = 16; i < 64; i++) {
        var x = W[i - 15], y = W[i - 2];
        var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
        var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
        W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
      }
      var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
      for (i = 0; i < 64; i++) {
        var S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
        var ch = (e & f) ^ (~e & g);
        var t1 = (h + S1 + ch + K[i] + W[i]) | 0;
        var S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
        var maj = (a & b) ^ (a & c) ^ (b & c);
        var t2 = (S0 + maj) | 0;
        h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h0 = (h0 + a) | 0; h1 = (h1 + b) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0;
      h4 = (h4 + e) | 0; h5 = (h5 + f) | 0; h6 = (h6 + g) | 0; h7 = (h7 + h) | 0;
    }
    return [h0 >>> 0, h1 >>> 0];
  }

  function leadingZeros(words) {
    var n = 0;
    for (var i = 0; i < words.length; i++) {
      if (words[i] === 0) { n += 32; continue; }
      return n + Math.clz32(words[i]);
    }
    return n;
  }

  function utf8(s) { return new TextEncoder().encode(s); }

  // solve runs in slices so the page stays responsive, then calls done(counter).
  function solve(challenge, need, done) {
    var counter = 0;
    function slice() {
      var end = counter + 20000;
      for (; counter < end; counter++) {
        if (leadingZeros(sha256(utf8(challenge + ":" + counter))) >= need) {
          done(String(counter));
          return;
        }
      }
      setTimeout(slice, 0);
    }
    slice();
  }

  window.relaisPow = { sha256: sha256, solve: solve };

  document.addEventListener("DOMContentLoaded", function () {
    var forms = document.querySelectorAll("form[data-pow]");
    Array.prototype.forEach.call(forms, function (form) {
      var status = form.querySelector(".status");
      var button = form.querySelector("button[type=submit]");
      var busy = false;
      form.addEventListener("submit", function (ev) {
        var sol = form.querySelector("input[name=pow_solution]");
        if (sol.value !== "") { return; }
        ev.preventDefault();
        if (busy || !form.reportValidity()) { return; }
        busy = true;
        button.disabled = true;
        status.textContent = status.getAttribute("data-working");
        var challenge = form.querySelector("input[name=pow_challenge]").value;
        var need = parseInt(challenge.split(".")[3], 10) || 0;
        solve(challenge, need, function (counter) {
          sol.value = counter;
          form.submit();
        });
      });
    });
  });
})();
