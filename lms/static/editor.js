/* BinaKader editors: live preview of a lesson's Markdown, rendered by the server as kader see it. */
(function () {
  "use strict";
  var area = document.querySelector("textarea[data-preview]");
  if (!area || !window.fetch) return;
  var target = document.querySelector(area.dataset.preview);
  var token = area.form.querySelector("input[name=csrf_token]").value;
  var images = {};
  try { images = JSON.parse(document.getElementById("gambar-draf").textContent) || {}; } catch (e) { images = {}; }
  var timer, last = "";
  function render() {
    if (area.value === last) return;
    last = area.value;
    fetch(area.dataset.previewUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify({ markdown: area.value, images: images })
    }).then(function (res) { return res.ok ? res.json() : null; })
      .then(function (body) { if (body && area.value === last) target.innerHTML = body.html; })
      .catch(function () { /* offline: the Pratinjau button still works when back online */ });
  }
  var title = document.getElementById("f-title"), heading = document.getElementById("pratinjau-judul");
  if (title && heading) title.addEventListener("input", function () { heading.textContent = title.value; });
  area.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(render, 400); });
})();
