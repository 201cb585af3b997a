/* BinaKader test page: save each answer the moment it is given, queue it while offline. */
(function () {
  "use strict";
  var form = document.getElementById("form-uji");
  if (!form || !window.fetch || !window.localStorage) return;
  var d = form.dataset, key = "binakader-uji-" + d.attempt, last = 0;
  var token = form.querySelector("input[name=csrf_token]").value;
  var banner = document.getElementById("koneksi");

  function load() { try { return JSON.parse(localStorage.getItem(key)) || {}; } catch (e) { return {}; } }
  function store(q) { localStorage.setItem(key, JSON.stringify(q)); }
  function box(pos) { return form.querySelector('fieldset[data-position="' + pos + '"]'); }
  function state(pos, text) { var b = box(pos); if (b) b.querySelector(".save-state").textContent = text; }

  function read(fs) {
    var t = fs.dataset.type, n = "q" + fs.dataset.position;
    if (t === "multiple") {
      var v = [].map.call(fs.querySelectorAll("input:checked"), function (i) { return i.value; });
      return v.length ? v : null;
    }
    if (t === "matching") {
      var m = {}, any = false;
      [].forEach.call(fs.querySelectorAll("select"), function (s) {
        if (s.value) { m[s.name.split("_")[1]] = s.value; any = true; }
      });
      return any ? m : null;
    }
    var el = fs.querySelector('input[name="' + n + '"]:checked') || fs.querySelector('input[type=text]');
    if (!el || el.type === "radio" && !el.checked) return null;
    var val = el.value.trim();
    if (!val) return null;
    return t === "truefalse" ? val === "true" : val;
  }

  function write(fs, r) {
    var t = fs.dataset.type;
    [].forEach.call(fs.querySelectorAll("input,select"), function (el) {
      if (el.type === "radio" || el.type === "checkbox") {
        el.checked = r !== null && (t === "multiple" ? r.indexOf(el.value) >= 0 : String(r) === el.value);
      } else if (el.tagName === "SELECT") {
        el.value = r && r[el.name.split("_")[1]] || "";
      } else { el.value = r === null ? "" : r; }
    });
  }

  function send(pos) {
    var q = load(), item = q[pos];
    if (!item) return Promise.resolve();
    state(pos, d.textSaving);
    return fetch(d.api + pos, {
      method: "PUT", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify({ response: item.response, seq: item.seq })
    }).then(function (res) {
      return res.json().then(function (body) {
        var now = load();
        if (res.ok || res.status === 422) {
          if (now[pos] && now[pos].seq === item.seq) { delete now[pos]; store(now); }
        }
        if (res.ok) { box(pos).dataset.seq = body.seq; state(pos, d.textSaved); }
        else { state(pos, body.error ? body.error.message : d.textPending); }
        if (res.status === 409) { window.location.reload(); }
        banner.hidden = true;
      });
    }, function () { state(pos, d.textPending); banner.hidden = false; });
  }

  function flush() { Object.keys(load()).forEach(send); }

  function changed(e) {
    var fs = e.target.closest("fieldset.question");
    if (!fs) return;
    var pos = fs.dataset.position;
    last = Math.max(Date.now(), last + 1, Number(fs.dataset.seq) + 1);
    var q = load(); q[pos] = { response: read(fs), seq: last }; store(q);
    state(pos, d.textPending);
    send(pos);
  }

  form.addEventListener("change", changed);
  var timer;
  form.addEventListener("input", function (e) {
    if (e.target.type !== "text") return;
    clearTimeout(timer); timer = setTimeout(function () { changed(e); }, 600);
  });
  window.addEventListener("online", flush);
  setInterval(flush, 15000);
  var pending = load();
  Object.keys(pending).forEach(function (pos) {
    var fs = box(pos);
    if (fs) { write(fs, pending[pos].response); state(pos, d.textPending); }
  });
  flush();

  var clock = document.getElementById("sisa-waktu");
  var end = performance.now() + Number(clock.dataset.seconds) * 1000;
  setInterval(function () {
    var s = Math.max(0, Math.round((end - performance.now()) / 1000));
    clock.textContent = Math.floor(s / 60) + ":" + ("0" + (s % 60)).slice(-2);
    if (s === 0) { window.location.reload(); }
  }, 1000);
})();
