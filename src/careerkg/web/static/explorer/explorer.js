/* careerkg explorer home: search suggestions as you type. Text goes in with textContent only. */
(function () {
  "use strict";
  var home = document.getElementById("ckg-home");
  var input = document.getElementById("ckg-q"), list = document.getElementById("ckg-suggest");
  if (!home || !input || !list) return;
  var base = home.getAttribute("data-base") || "", items = [], active = -1, timer = null, asked = 0;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function href(hit) { return base + "/view?c=" + encodeURIComponent(hit.iri); }
  function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); active = -1; input.removeAttribute("aria-activedescendant"); }
  function mark() {
    Array.prototype.forEach.call(list.children, function (li, i) { li.setAttribute("aria-selected", i === active ? "true" : "false"); });
    if (active >= 0) { input.setAttribute("aria-activedescendant", list.children[active].id); list.children[active].scrollIntoView({ block: "nearest" }); }
  }
  function show(hits, q) {
    items = hits; list.textContent = ""; active = -1;
    hits.slice(0, 12).forEach(function (h, i) {
      var li = el("li"); li.id = "ckg-suggest-" + i; li.setAttribute("role", "option");
      li.setAttribute("data-id", h.id);
      li.append(el("span", "ckg-label", h.label), el("span", "ckg-source", h.source));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); location.href = href(h); });
      list.appendChild(li);
    });
    list.hidden = hits.length === 0;
    input.setAttribute("aria-expanded", hits.length ? "true" : "false");
    home.setAttribute("data-suggestions", String(list.children.length));
    home.setAttribute("data-suggestions-for", q);  /* the text they answer (tests wait on it) */
  }
  function ask() {
    var q = input.value.trim(), mine = ++asked;
    if (q.length < 2) { show([], q); return; }
    fetch(base + "/api/search?q=" + encodeURIComponent(q))
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (hits) { if (mine === asked) show(hits, q); })
      .catch(function () { if (mine === asked) show([], q); });
  }
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(ask, 120); });
  input.addEventListener("keydown", function (ev) {
    var n = list.children.length;
    if (ev.key === "ArrowDown" && n) { active = (active + 1) % n; mark(); ev.preventDefault(); }
    else if (ev.key === "ArrowUp" && n) { active = (active - 1 + n) % n; mark(); ev.preventDefault(); }
    else if (ev.key === "Escape") { close(); }
    else if (ev.key === "Enter" && active >= 0 && !list.hidden) { ev.preventDefault(); location.href = href(items[active]); }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
})();
