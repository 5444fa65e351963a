// careerkg query page: plain JavaScript, no external resources.
(function () {
  "use strict";
  var queryBox = document.getElementById("query");
  var results = document.getElementById("results");
  var statusLine = document.getElementById("status");
  var format = document.getElementById("format");
  var prefixes = {};

  function el(tag, text) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;  // textContent: never HTML-injected
    return node;
  }

  function compact(iri) {
    var best = "", name = iri;
    Object.keys(prefixes).forEach(function (p) {
      var ns = prefixes[p];
      if (iri.indexOf(ns) === 0 && ns.length > best.length && /^[\w\-.]*$/.test(iri.slice(ns.length))) {
        best = ns; name = p + ":" + iri.slice(ns.length);
      }
    });
    return best ? name : "<" + iri + ">";
  }

  function cell(term) {
    var td = el("td");
    if (!term) return td;
    if (term.type === "uri") {
      var a = el("a", compact(term.value));
      a.href = "/?query=" + encodeURIComponent("DESCRIBE <" + term.value + ">");
      a.title = term.value;
      td.appendChild(a);
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else {
      td.textContent = term.value + (term["xml:lang"] ? " @" + term["xml:lang"] : "");
    }
    return td;
  }

  function showTable(data) {
    results.textContent = "";
    if (data.boolean !== undefined) { results.appendChild(el("p", "ASK: " + data.boolean)); return 1; }
    var vars = data.head.vars, rows = data.results.bindings;
    var table = el("table"), head = el("tr");
    vars.forEach(function (v) { head.appendChild(el("th", v)); });
    table.appendChild(head);
    rows.forEach(function (row) {
      var tr = el("tr");
      vars.forEach(function (v) { tr.appendChild(cell(row[v])); });
      table.appendChild(tr);
    });
    results.appendChild(table);
    return rows.length;
  }

  function isGraphQuery(text) {
    var stripped = text.replace(/#[^\n]*/g, "").replace(/PREFIX\s+\S*\s*<[^>]*>/gi, "").replace(/BASE\s*<[^>]*>/gi, "");
    return /^\s*(CONSTRUCT|DESCRIBE)/i.test(stripped);
  }

  function run() {
    var text = queryBox.value, wanted = format.value;
    var graph = isGraphQuery(text);
    var accept = wanted === "table" ? (graph ? "text/turtle" : "application/sparql-results+json") : wanted;
    statusLine.className = ""; statusLine.textContent = "Running…";
    var started = performance.now();
    fetch("/sparql", {
      method: "POST",
      headers: { "Content-Type": "application/sparql-query", "Accept": accept },
      body: text
    }).then(function (response) {
      return response.text().then(function (body) { return { response: response, body: body }; });
    }).then(function (r) {
      var ms = Math.round(performance.now() - started);
      if (!r.response.ok) {
        statusLine.className = "error";
        statusLine.textContent = r.response.status + ": " + r.body.trim();
        results.textContent = "";
        return;
      }
      var note = r.response.headers.get("X-CareerKG-Truncated") ? " (cut at the row limit)" : "";
      if (accept === "application/sparql-results+json" && wanted === "table") {
        var n = showTable(JSON.parse(r.body));
        statusLine.textContent = n + " result(s) in " + ms + " ms" + note;
      } else {
        results.textContent = "";
        results.appendChild(el("pre", r.body));
        statusLine.textContent = "Done in " + ms + " ms" + note;
      }
    }).catch(function (err) {
      statusLine.className = "error"; statusLine.textContent = "Request failed: " + err;
    });
  }

  document.getElementById("run").addEventListener("click", run);
  queryBox.addEventListener("keydown", function (e) {
    if ((e.ctrlKey || e.metaKey) && e.key === "Enter") { e.preventDefault(); run(); }
  });

  fetch("/prefixes").then(function (r) { return r.json(); }).then(function (map) {
    prefixes = map;
    var dl = document.getElementById("prefixes");
    Object.keys(map).forEach(function (p) { dl.appendChild(el("dt", p + ":")); dl.appendChild(el("dd", map[p])); });
  });

  fetch("/examples").then(function (r) { return r.json(); }).then(function (list) {
    var ul = document.getElementById("examples");
    ul.textContent = "";
    list.forEach(function (ex) {
      var li = el("li"), b = el("button", ex.question || ex.name);
      b.type = "button"; b.title = ex.name;
      b.addEventListener("click", function () { queryBox.value = ex.query; run(); });
      li.appendChild(b); ul.appendChild(li);
    });
    if (!list.length) ul.appendChild(el("li", "No example queries found."));
  });

  var params = new URLSearchParams(window.location.search);
  if (params.get("query")) { queryBox.value = params.get("query"); run(); }
})();
