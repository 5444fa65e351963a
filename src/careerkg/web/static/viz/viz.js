/* careerkg view: draws the JSON in #ckg-data with vis-network. Text goes in with textContent only. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("ckg-data").textContent);
  var KINDS = data.kinds, RELS = data.relations, OPTS = data.options;
  var explorer = data.explorer || null;
  var fixedLayout = data.layout === "path";  // positions computed in Python, no physics
  var calm = !!OPTS.calm;  // a neighbourhood laid out in Python: groups, no physics
  var GROUPS = data.groups || [];
  var MINOR_SCALE = 0.7;  // below this zoom, minor nodes (skills, duties, far nodes) drop their labels
  var records = new Map();      // node id -> node record from the JSON
  var edgeRecords = new Map();  // edge id -> edge record
  var state = { kinds: new Set(Object.keys(KINDS)), rels: new Set(Object.keys(RELS)), query: "",
                opened: new Set(), labelled: new Set(), minorShown: true };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function shortLabel(s) { s = String(s); return s.length > 42 ? s.slice(0, 40) + "…" : s; }
  function kindLabel(k) { return (KINDS[k] || KINDS.other).label; }
  function relLabel(r) { return (RELS[r] || { label: r }).label; }

  function tooltip(n) {
    var d = el("div", "ckg-tip");
    d.appendChild(el("strong", null, n.label));
    d.appendChild(el("span", "ckg-kind", kindLabel(n.kind)));
    if (n.definition) d.appendChild(el("div", null, n.definition.length > 400 ? n.definition.slice(0, 398) + "…" : n.definition));
    return d;
  }
  function visNode(n) {
    var k = KINDS[n.kind] || KINDS.other;
    var v = { id: n.id, label: shortLabel(n.label), title: tooltip(n), shape: k.shape, value: 1 + (n.degree || 0),
              color: { background: k.color, border: n.focus ? "#000000" : "#2b2b2b",
                       highlight: { background: k.color, border: "#000000" } },
              borderWidth: n.focus ? 4 : 1 };
    if (typeof n.x === "number") { v.x = n.x; v.y = n.y; }
    if (calm) {
      delete v.value; v.size = n.size || 10; v.fixed = { x: true, y: true };
      v.font = { size: n.font || 12, face: OPTS.nodes.font.face, bold: !!n.focus };
      if (n.minor && !state.minorShown) v.label = "";
      if (n.focus) { v.color.border = "#000000"; v.borderWidth = 4; }
      return v;
    }
    if (n.focus) {
      v.value = 60; v.fixed = { x: true, y: true }; v.font = { size: 20, face: OPTS.nodes.font.face, bold: true };
      if (typeof n.x !== "number") { v.x = 0; v.y = 0; }
    }
    // On a path the careers' long names wrap instead of running into each other.
    if (fixedLayout && n.kind === "career") {
      v.widthConstraint = { maximum: 190 }; v.value = 40; v.borderWidth = 3; v.color.border = "#000000";
      v.font = { size: 16, face: OPTS.nodes.font.face, bold: true };
    }
    return v;
  }
  function edgeId(e) { return e.from + "|" + e.relation + "|" + e.to; }
  function visEdge(e) {
    var r = RELS[e.relation] || { label: e.relation, color: "#999999" };
    var v = { id: edgeId(e), from: e.from, to: e.to, color: { color: r.color, highlight: "#000000" },
              title: el("span", null, r.label), dashes: e.relation === "optionalSkill" };
    if (e.label) { v.label = e.label; v.width = 3; v.font = { size: 12, color: "#222222", strokeWidth: 3, align: "top" }; }
    else if (OPTS.showEdgeLabels) v.label = r.label;
    else v.font = { size: 11, color: "#333333", strokeWidth: 3, align: "middle" };
    return v;
  }

  data.nodes.forEach(function (n) { records.set(n.id, n); });
  data.edges.forEach(function (e) { edgeRecords.set(edgeId(e), e); });
  var nodes = new vis.DataSet(data.nodes.map(visNode));
  var edges = new vis.DataSet(data.edges.map(visEdge));
  var container = document.getElementById("ckg-graph");
  var progress = el("div", "ckg-progress", "Laying out " + data.nodes.length + " nodes…");
  container.appendChild(progress);
  var visOptions = JSON.parse(JSON.stringify(OPTS));
  delete visOptions.showEdgeLabels;
  delete visOptions.calm;
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, visOptions);
  var api = window.careerkg = { network: network, nodes: nodes, edges: edges, data: data, records: records,
                                stabilized: false, stabilizedAt: null, search: search, setKind: setKind, setRelation: setRelation,
                                visibleNodeIds: visibleNodeIds, shownIds: shownIds, fitting: false, fits: 0,
                                openGroup: openGroup, regroup: regroup, groups: GROUPS };

  function focusNode() { for (var n of records.values()) if (n.focus) return n; return null; }
  // Every node drawn now: group nodes and the nodes outside groups, not hidden.
  function shownIds() {
    var body = network.body;
    return body.nodeIndices.filter(function (id) { var n = body.nodes[id]; return n && !n.options.hidden; });
  }
  // Fit what is drawn with the focus at the centre of the canvas (or everything, without a focus).
  function centre(animate) {
    var f = focusNode();
    if (fixedLayout || !f) { network.fit({ animation: false }); api.fits++; mirror(); return; }
    var c = network.getPosition(f.id), dx = 60, dy = 60;
    shownIds().forEach(function (id) {
      var b = network.getBoundingBox(id);
      dx = Math.max(dx, Math.abs(b.left - c.x), Math.abs(b.right - c.x));
      dy = Math.max(dy, Math.abs(b.top - c.y), Math.abs(b.bottom - c.y));
    });
    var w = container.clientWidth, h = container.clientHeight;
    var scale = Math.min(1.3, (w - 24) / (2 * dx), (h - 24) / (2 * dy));
    api.fits++;
    if (animate) {
      api.fitting = true;
      network.moveTo({ position: c, scale: scale, animation: { duration: 300, easingFunction: "easeInOutQuad" } });
    } else {
      network.moveTo({ position: c, scale: scale, animation: false });
      zoomLabels();
    }
    mirror();
  }
  network.on("animationFinished", function () { api.fitting = false; zoomLabels(); mirror(); });
  network.on("zoom", function () { zoomLabels(); });
  // Minor labels show only when zoomed in far enough to read them.
  function zoomLabels() {
    if (!calm) return;
    var show = network.getScale() >= MINOR_SCALE;
    if (show === state.minorShown) return;
    state.minorShown = show;
    var upd = [];
    records.forEach(function (n) { if (n.minor) upd.push({ id: n.id, label: show ? shortLabel(n.label) : "" }); });
    nodes.update(upd);
  }

  // -- groups: many neighbours of one relation and kind drawn as one node, opened on click ------
  // vis-network's isCluster logs an error for an id it does not hold.
  function isGroup(id) { return network.body.nodes[id] !== undefined && network.isCluster(id); }
  function groupNode(g) {
    var k = KINDS[g.kind] || KINDS.other, tip = el("div", "ckg-tip");
    tip.appendChild(el("strong", null, g.label));
    tip.appendChild(el("span", "ckg-kind", "Click to show them"));
    return { id: g.id, label: g.label, shape: "box", x: g.x, y: g.y, fixed: { x: true, y: true }, title: tip,
             color: { background: k.color, border: "#2b2b2b", highlight: { background: k.color, border: "#000000" } },
             font: { size: 13, color: "#ffffff", face: OPTS.nodes.font.face, bold: true }, margin: 7,
             shapeProperties: { borderRadius: 4 }, borderWidth: 1 };
  }
  function regroup() {
    if (!calm) return;
    GROUPS.forEach(function (g) { if (isGroup(g.id)) network.openCluster(g.id); });
    var q = state.query.trim().toLowerCase();
    GROUPS.forEach(function (g) {
      if (state.opened.has(g.id)) return;
      var members = new Set(g.members.filter(function (id) {
        var n = records.get(id), v = nodes.get(id);
        return n && v && !v.hidden && !(q && matchesQuery(n, q));
      }));
      if (members.size < 2) return;
      network.cluster({ joinCondition: function (o) { return members.has(o.id); },
                        clusterNodeProperties: groupNode(g) });
    });
  }
  function openGroup(id) {
    var g = GROUPS.find(function (x) { return x.id === id; });
    if (!g || !isGroup(id)) return 0;
    state.opened.add(id);
    network.openCluster(id);
    say("Showing the " + g.label + ".");
    centre(true);
    return g.count;
  }
  function say(text) { document.getElementById("ckg-status").textContent = text; }
  // State mirrored into the DOM, for tests that run with the page's CSP on (no evaluate).
  function mirror() {
    container.setAttribute("data-nodes", String(records.size));
    container.setAttribute("data-shown", shownIds().join(" "));
    container.setAttribute("data-fits", String(api.fits));
    container.setAttribute("data-fitting", api.fitting ? "true" : "false");
  }
  api.mirror = mirror;
  // Show a node even when it sits in a closed group: open the group, select it, show its details.
  function reveal(id) {
    var n = records.get(id);
    if (!n) return;
    if (n.group && isGroup(n.group) && network.body.nodes[id] && network.findNode(id).length > 1) openGroup(n.group);
    network.selectNodes([id]);
    showDetails(id);
  }
  api.reveal = reveal;
  network.on("stabilizationProgress", function (p) {
    progress.textContent = "Laying out… " + Math.round(100 * p.iterations / p.total) + "%";
  });
  function settled() {
    if (api.stabilized) return;
    network.setOptions({ physics: { enabled: false } });
    regroup();
    centre(false);
    progress.remove();
    api.stabilized = true;
    api.stabilizedAt = performance.now();
    document.body.setAttribute("data-stabilized", "true");
  }
  if (OPTS.physics && OPTS.physics.enabled === false) network.once("afterDrawing", settled);
  else network.once("stabilizationIterationsDone", settled);

  // -- header, notice -----------------------------------------------------------------------
  document.getElementById("ckg-title").textContent = data.title;
  if (data.notice) { var nb = document.getElementById("ckg-notice"); nb.textContent = data.notice; nb.hidden = false; }

  // -- legend with filters --------------------------------------------------------------------
  function kindCounts() {
    var c = {};
    records.forEach(function (n) { c[n.kind] = (c[n.kind] || 0) + 1; });
    return c;
  }
  function buildLegend() {
    var ul = document.getElementById("ckg-legend-nodes"); ul.textContent = "";
    var counts = kindCounts();
    Object.keys(KINDS).forEach(function (k) {
      if (!counts[k]) return;
      var li = el("li"), lab = el("label"), box = el("input");
      box.type = "checkbox"; box.checked = state.kinds.has(k); box.value = k; box.setAttribute("data-kind", k);
      box.addEventListener("change", function () { setKind(k, box.checked); });
      var sw = el("span", "ckg-swatch " + KINDS[k].shape); sw.style.background = KINDS[k].color;
      lab.append(box, sw, el("span", null, KINDS[k].label), el("span", "ckg-count", counts[k]));
      li.appendChild(lab); ul.appendChild(li);
    });
    var ue = document.getElementById("ckg-legend-edges"); ue.textContent = "";
    var rc = {};
    edgeRecords.forEach(function (e) { rc[e.relation] = (rc[e.relation] || 0) + 1; });
    Object.keys(RELS).forEach(function (r) {
      if (!rc[r]) return;
      var li = el("li"), lab = el("label"), box = el("input");
      box.type = "checkbox"; box.checked = state.rels.has(r); box.value = r; box.setAttribute("data-relation", r);
      box.addEventListener("change", function () { setRelation(r, box.checked); });
      var sw = el("span", "ckg-line"); sw.style.background = RELS[r].color;
      if (r === "optionalSkill") sw.style.background = "repeating-linear-gradient(90deg," + RELS[r].color + " 0 4px, transparent 4px 7px)";
      lab.append(box, sw, el("span", null, RELS[r].label), el("span", "ckg-count", rc[r]));
      li.appendChild(lab); ue.appendChild(li);
    });
  }

  // -- visibility: kind filters, relation filters, search --------------------------------------
  function matchesQuery(n, q) {
    if (n.label.toLowerCase().indexOf(q) >= 0) return true;
    return false;
  }
  function applyVisibility() {
    var keep = null, hits = [];
    var q = state.query.trim().toLowerCase();
    if (q) {
      keep = new Set();
      records.forEach(function (n) { if (matchesQuery(n, q)) { hits.push(n.id); keep.add(n.id); } });
      edgeRecords.forEach(function (e) {
        if (!state.rels.has(e.relation)) return;
        if (hits.indexOf(e.from) >= 0) keep.add(e.to);
        if (hits.indexOf(e.to) >= 0) keep.add(e.from);
      });
    }
    var upd = [];
    GROUPS.forEach(function (g) { if (isGroup(g.id)) network.openCluster(g.id); });
    records.forEach(function (n) {
      var show = n.focus || (state.kinds.has(n.kind) && (keep === null || keep.has(n.id)));
      upd.push({ id: n.id, hidden: !show });
    });
    nodes.update(upd);
    var eu = [];
    edgeRecords.forEach(function (e, id) { eu.push({ id: id, hidden: !state.rels.has(e.relation) }); });
    edges.update(eu);
    var visible = visibleNodeIds().length;
    var status = document.getElementById("ckg-status");
    status.textContent = (q ? hits.length + " match" + (hits.length === 1 ? "" : "es") + " for “" + state.query.trim() + "” · " : "") +
      visible + " of " + records.size + " nodes shown";
    regroup();
    if (q && hits.length) { network.selectNodes(hits.filter(function (h) { return state.kinds.has(records.get(h).kind); })); }
    else if (!q) { network.unselectAll(); }
    if (api.stabilized) centre(true);
    return hits;
  }
  function visibleNodeIds() { return nodes.get({ filter: function (n) { return !n.hidden; } }).map(function (n) { return n.id; }); }
  function search(q) { state.query = q || ""; document.getElementById("ckg-search-input").value = state.query; return applyVisibility(); }
  function setKind(k, on) { if (on) state.kinds.add(k); else state.kinds.delete(k); syncBoxes(); applyVisibility(); }
  function setRelation(r, on) { if (on) state.rels.add(r); else state.rels.delete(r); syncBoxes(); applyVisibility(); }
  function syncBoxes() {
    document.querySelectorAll("input[data-kind]").forEach(function (b) { b.checked = state.kinds.has(b.value); });
    document.querySelectorAll("input[data-relation]").forEach(function (b) { b.checked = state.rels.has(b.value); });
  }
  document.getElementById("ckg-search").addEventListener("submit", function (ev) { ev.preventDefault(); search(document.getElementById("ckg-search-input").value); });
  document.getElementById("ckg-search-clear").addEventListener("click", function () { search(""); });

  // -- details on click -----------------------------------------------------------------------
  function neighbours(id) {
    var out = {};
    edgeRecords.forEach(function (e) {
      var other = e.from === id ? e.to : (e.to === id ? e.from : null);
      if (other === null) return;
      var key = relLabel(e.relation) + (e.from === id ? "" : " (of)");
      (out[key] = out[key] || []).push(other);
    });
    return out;
  }
  function showDetails(id) {
    var n = records.get(id), box = document.getElementById("ckg-details");
    box.textContent = "";
    if (!n) { box.appendChild(el("p", "ckg-hint", "Click a node to see its details.")); return; }
    var dl = el("dl");
    function row(k, v) { if (v === undefined || v === null || v === "") return; dl.append(el("dt", null, k)); var dd = el("dd"); if (v instanceof Node) dd.appendChild(v); else dd.textContent = v; dl.appendChild(dd); }
    row("Label", n.label); row("Kind", kindLabel(n.kind)); row("Definition", n.definition); row("IRI", n.iri);
    var nb = neighbours(id);
    Object.keys(nb).sort().forEach(function (rel) {
      var ul = el("ul");
      nb[rel].slice(0, 60).forEach(function (o) {
        var li = el("li"), b = el("button", "ckg-link", (records.get(o) || { label: o }).label);
        b.type = "button"; b.addEventListener("click", function () { network.selectNodes([o]); network.focus(o, { animation: false }); showDetails(o); });
        li.appendChild(b); ul.appendChild(li);
      });
      if (nb[rel].length > 60) ul.appendChild(el("li", null, "… " + (nb[rel].length - 60) + " more"));
      row(rel + " (" + nb[rel].length + ")", ul);
    });
    box.appendChild(dl);
    if (explorer) explorerDetails(box, n);
  }
  network.on("click", function (p) {
    if (!p.nodes.length) return;
    if (isGroup(p.nodes[0])) openGroup(p.nodes[0]); else showDetails(p.nodes[0]);
  });
  // Edge labels only on hover, and for the edges of the selected node.
  function labelEdges(ids, on) {
    var upd = [];
    ids.forEach(function (id) {
      var e = edgeRecords.get(id);
      if (!e || e.label) return;
      if (on) state.labelled.add(id); else state.labelled.delete(id);
      upd.push({ id: id, label: on ? relLabel(e.relation) : "" });
    });
    if (upd.length) edges.update(upd);
  }
  if (!OPTS.showEdgeLabels) {
    network.on("hoverEdge", function (p) { labelEdges([p.edge], true); });
    network.on("blurEdge", function (p) { if (network.getSelectedEdges().indexOf(p.edge) < 0) labelEdges([p.edge], false); });
    network.on("select", function (p) {
      labelEdges(Array.from(state.labelled), false);
      labelEdges(p.edges, true);
    });
  }

  // -- explorer extras (only when served by `careerkg serve`) ----------------------------------
  function link(href, text) { var a = el("a", null, text); a.href = href; return a; }
  function sparqlFor(n) {
    return "SELECT ?p ?o ?label WHERE {\n  <" + n.iri + "> ?p ?o .\n  OPTIONAL { ?o skos:prefLabel ?label }\n}\nLIMIT 200";
  }
  function explorerDetails(box, n) {
    var p = el("p");
    if (n.kind === "career" || n.kind === "specialization")
      p.append(link(explorer.base + "/view?c=" + encodeURIComponent(n.iri), "Centre on this career"), " · ");
    var b = el("button", null, "Expand"); b.type = "button"; b.setAttribute("data-expand", n.id);
    b.addEventListener("click", function () { expand(n.id); });
    p.append(b, " · ", link(explorer.sparql + "?query=" + encodeURIComponent(sparqlFor(n)), "Query in SPARQL"));
    box.appendChild(p);
  }
  function expand(id) {
    var n = records.get(id);
    return fetch(explorer.base + "/api/expand?node=" + encodeURIComponent(n.iri))
      .then(function (r) { if (!r.ok) throw new Error("expand failed: HTTP " + r.status); return r.json(); })
      .then(function (more) {
        var pos = network.getPosition(id), added = [];
        more.nodes.forEach(function (m) { if (!records.has(m.id)) { m.focus = false; records.set(m.id, m); added.push(m); } });
        added.forEach(function (m, i) {
          var a = 2 * Math.PI * i / Math.max(1, added.length), r = 120 + 6 * added.length;
          m.x = pos.x + r * Math.cos(a); m.y = pos.y + r * Math.sin(a);
        });
        nodes.add(added.map(visNode));
        var newEdges = more.edges.filter(function (e) { return !edgeRecords.has(edgeId(e)) && records.has(e.from) && records.has(e.to); });
        newEdges.forEach(function (e) { edgeRecords.set(edgeId(e), e); });
        edges.add(newEdges.map(visEdge));
        buildLegend(); applyVisibility(); showDetails(id);
        say(added.length ? "Added " + added.length + " node" + (added.length === 1 ? "" : "s") + " around " + n.label + "."
                         : "Nothing new around " + n.label + ": its neighbours are all shown.");
        return added.length;
      });
  }
  api.expand = expand;
  if (explorer) {
    network.on("doubleClick", function (p) { if (p.nodes.length) expand(p.nodes[0]); });
    var nav = document.getElementById("ckg-nav");
    nav.appendChild(link(explorer.base + "/", "Explorer home"));
    var f = el("form"); f.method = "get"; f.action = explorer.base + "/view";
    var inp = el("input"); inp.name = "c"; inp.placeholder = "Any career name"; inp.setAttribute("aria-label", "Career");
    var go = el("button", null, "Open"); go.type = "submit"; f.append(inp, go); nav.appendChild(f);
    var focus = focusNode();
    if (focus) {
      var pf = el("form"); pf.method = "get"; pf.action = explorer.base + "/path";
      var h = el("input"); h.type = "hidden"; h.name = "from"; h.value = focus.iri;
      var to = el("input"); to.name = "to"; to.placeholder = "Path to career…"; to.setAttribute("aria-label", "Path to");
      var pg = el("button", null, "Path & skill gap"); pg.type = "submit"; pf.append(h, to, pg); nav.appendChild(pf);
      nav.appendChild(link(explorer.sparql + "?query=" + encodeURIComponent(sparqlFor(focus)), "SPARQL about " + focus.label));
      var related = [];
      data.edges.forEach(function (e) {
        if ((e.relation === "relatedCareer" || e.relation === "collaboratesWith" || e.relation === "specializationOf") && (e.from === focus.id || e.to === focus.id)) {
          var o = records.get(e.from === focus.id ? e.to : e.from); if (o && related.indexOf(o) < 0) related.push(o);
        }
      });
      if (related.length) {
        var extra = document.getElementById("ckg-extra");
        extra.appendChild(el("h2", null, "Jump to a related career"));
        var ul = el("ul");
        related.sort(function (a, b) { return a.label.localeCompare(b.label); }).forEach(function (o) {
          var li = el("li"); li.appendChild(link(explorer.base + "/view?c=" + encodeURIComponent(o.iri), o.label)); ul.appendChild(li);
        });
        extra.appendChild(ul);
      }
    }
  }
  // -- path and skill gap (path views): the same answer as `careerkg path` / `careerkg gap` ------
  function skillList(items, more) {
    var ul = el("ul");
    items.forEach(function (g) { ul.appendChild(el("li", null, g.label + " · " + g.need + " · " + g.weight.toFixed(2))); });
    if (more) ul.appendChild(el("li", "ckg-hint", more));
    return ul;
  }
  function names(list, n) { return list.slice(0, n).join(", ") + (list.length > n ? " (+" + (list.length - n) + " more)" : ""); }
  if (data.path) {
    var ex = document.getElementById("ckg-extra");
    ex.appendChild(el("h2", null, "Path (cost " + data.cost.toFixed(2) + ")"));
    var ol = el("ol", "ckg-path");
    data.path.forEach(function (s) {
      var li = el("li");
      li.appendChild(el("strong", null, s.label));
      if (s.relation) {
        li.appendChild(el("span", "ckg-kind", " · " + relLabel(s.relation) + " · cost " + s.cost.toFixed(2)));
        if (s.carried.length) li.appendChild(el("div", null, "carries over: " + names(s.carried, 6)));
        if (s.to_learn.length) li.appendChild(el("div", null, "to learn: " + names(s.to_learn, 6)));
      }
      ol.appendChild(li);
    });
    ex.appendChild(ol);
  }
  if (data.gap) {
    var gx = document.getElementById("ckg-extra");
    var cov = typeof data.coverage === "number" ? ", " + Math.round(100 * data.coverage) + "% covered" : "";
    gx.appendChild(el("h2", null, "Skill gap: " + data.gap.length + " to learn" + cov));
    gx.appendChild(skillList(data.gap));
    if (data.transfer) {
      gx.appendChild(el("h2", null, "Skills that transfer (" + data.transfer.length + ")"));
      gx.appendChild(skillList(data.transfer));
    }
  }

  if (calm) {
    var regroupBox = el("p"), rb = el("button", null, "Group again"); rb.type = "button"; rb.id = "ckg-regroup";
    rb.addEventListener("click", function () { state.opened.clear(); regroup(); centre(true); });
    regroupBox.appendChild(rb); document.getElementById("ckg-status").after(regroupBox);
  }
  // -- the career's profile (explorer career pages) -----------------------------------------------
  var SKILL_TYPES = { technology: "Technologies", knowledge: "Knowledge", competence: "Competences", skill: "Other skills" };
  function nodeButton(item) {
    if (!records.has(item.id)) return el("span", null, item.label);
    var b = el("button", "ckg-link", item.label); b.type = "button"; b.setAttribute("data-node", item.id);
    b.addEventListener("click", function () { reveal(item.id); });
    return b;
  }
  function careerLink(item) { return explorer ? link(explorer.base + "/view?c=" + encodeURIComponent(item.iri), item.label) : el("span", null, item.label); }
  // Matches `careerkg suggest-matches` predicted: a block of their own, every row marked
  // "suggested", never listed with the official crosswalk. Nothing at all when there are none.
  function suggestedBlock(parent, items) {
    if (!items || !items.length) return;
    var sec = el("section", "ckg-suggested"); sec.id = "ckg-suggested";
    sec.setAttribute("aria-labelledby", "ckg-suggested-title");
    var h = el("h3", null, "Suggested matches (" + items.length + ")"); h.id = "ckg-suggested-title";
    sec.append(h, el("p", "ckg-hint", "Predicted by careerkg, not by O*NET, ESCO or the official crosswalk."),
               el("p", "ckg-hint", "Confidence: the estimated probability that the official crosswalk would link the occupation."));
    var table = el("table"), head = el("tr"), body = el("tbody");
    ["Status", "Taxonomy", "#", "Occupation", "Confidence"].forEach(function (t) {
      var th = el("th", null, t); th.scope = "col"; head.appendChild(th);
    });
    var thead = el("thead"); thead.appendChild(head); table.append(thead, body);
    items.forEach(function (m) {
      var tr = el("tr"), status = el("td"), name = el("td");
      tr.setAttribute("data-status", m.status);
      status.appendChild(el("span", "ckg-tag-suggested", m.status));
      name.appendChild(m.career ? careerLink(m) : el("span", null, m.label));
      tr.append(status, el("td", null, m.taxonomy), el("td", "ckg-num", m.rank), name,
                el("td", "ckg-num", Number(m.confidence).toFixed(2)));
      body.appendChild(tr);
      if (m.evidence) {  // the features that ranked it, on a line of its own under the row
        var why = el("tr", "ckg-evidence"), cell = el("td", "ckg-hint", "evidence: " + m.evidence);
        cell.colSpan = 4; why.append(el("td"), cell); body.appendChild(why);
      }
    });
    sec.appendChild(table);
    parent.appendChild(sec);
  }
  if (data.profile) {
    var pr = data.profile, box = el("section"); box.id = "ckg-profile";
    document.body.classList.add("ckg-has-profile");
    box.appendChild(el("h2", null, "Profile"));
    var meta = el("p", "ckg-meta");
    meta.appendChild(el("span", "ckg-source", pr.source));
    Object.keys(pr.codes || {}).forEach(function (k) { meta.append(" ", el("span", "ckg-source", k + " " + pr.codes[k])); });
    box.appendChild(meta);
    if (pr.definition) box.appendChild(el("p", "ckg-definition", pr.definition));
    if (pr.alt_labels && pr.alt_labels.length) box.appendChild(el("p", "ckg-hint", "Also called: " + pr.alt_labels.join(", ")));
    if (pr.parent) { var pp = el("p", null, "A specialization of "); pp.appendChild(careerLink(pr.parent)); box.appendChild(pp); }
    function listSection(title, items, render, openUpTo) {
      if (!items || !items.length) return;
      var d = el("details"); d.open = items.length <= (openUpTo || 12);
      d.appendChild(el("summary", null, title + " (" + items.length + ")"));
      var ul = el("ul"); items.forEach(function (it) { var li = el("li"); render(li, it); ul.appendChild(li); });
      d.appendChild(ul); box.appendChild(d);
    }
    Object.keys(SKILL_TYPES).forEach(function (t) {
      listSection("Skills: " + SKILL_TYPES[t].toLowerCase(), (pr.skills || {})[t], function (li, sk) {
        li.appendChild(nodeButton(sk));
        var w = typeof sk.weight === "number" ? " · importance " + Math.round(100 * sk.weight) + "%" : "";
        li.appendChild(el("span", "ckg-kind", " " + sk.need + w));
      }, 30);
    });
    listSection("Related careers", pr.related, function (li, r) {
      li.appendChild(careerLink(r)); if (r.reason) li.appendChild(el("div", "ckg-hint", r.reason));
    });
    listSection("Specializations", pr.specializations, function (li, r) { li.appendChild(careerLink(r)); });
    listSection("Collaborates with", pr.collaborates_with, function (li, r) { li.appendChild(careerLink(r)); });
    listSection("Listed with (not related)", pr.listed_with, function (li, r) { li.appendChild(careerLink(r)); });
    listSection("Duties", pr.duties, function (li, d) {
      li.appendChild(el("span", null, d.label));
      if (d.skills.length) li.appendChild(el("div", "ckg-hint", "needs " + d.skills.join(", ")));
    });
    listSection("Industries", pr.industries, function (li, r) { li.appendChild(nodeButton(r)); });
    listSection("Work settings", pr.work_settings, function (li, r) { li.appendChild(nodeButton(r)); });
    suggestedBlock(box, pr.suggested);
    var side = document.getElementById("ckg-side");
    side.insertBefore(box, side.firstChild);
  }

  // -- pictures: the graph as shown, as a PNG or an SVG (export.js saves them) -------------------
  var PIC = window.careerkgPicture;
  function graphCanvas() { return container.querySelector("canvas"); }
  function pictureName() { return PIC.slug(data.title, "careerkg-view"); }
  // PNG: vis-network's canvas (device pixels, labels included) on the page's white.
  function pngPicture(done) { PIC.png(graphCanvas(), "#ffffff", null, done); }
  // The shape of node n (vis-network's own geometry, in canvas coordinates), as SVG.
  function svgShape(n, v, attrs) {
    var x = n.x, y = n.y, r = v.size, N = PIC.num, pts = [], i;
    function poly() { return "<polygon points=\"" + pts.map(function (p) { return N(p[0]) + "," + N(p[1]); }).join(" ") + "\"" + attrs + "/>"; }
    switch (n.options.shape) {
      case "box":
        return "<rect x=\"" + N(x - n.shape.width / 2) + "\" y=\"" + N(y - n.shape.height / 2) + "\" width=\"" + N(n.shape.width) +
          "\" height=\"" + N(n.shape.height) + "\" rx=\"" + N(v.borderRadius || 0) + "\"" + attrs + "/>";
      case "square":
        return "<rect x=\"" + N(x - r) + "\" y=\"" + N(y - r) + "\" width=\"" + N(2 * r) + "\" height=\"" + N(2 * r) + "\"" + attrs + "/>";
      case "diamond":
        pts = [[x, y + r], [x + r, y], [x, y - r], [x - r, y]]; return poly();
      case "hexagon":
        for (i = 0; i < 6; i++) pts.push([x + r * Math.cos(Math.PI / 3 * i), y + r * Math.sin(Math.PI / 3 * i)]);
        return poly();
      case "star":
        r *= 0.82; y += 0.1 * r;
        for (i = 0; i < 10; i++) { var q = i % 2 ? 0.5 * r : 1.3 * r; pts.push([x + q * Math.sin(i * Math.PI / 5), y - q * Math.cos(i * Math.PI / 5)]); }
        return poly();
      case "triangle":
      case "triangleDown":
        var down = n.options.shape === "triangleDown" ? -1 : 1;
        r *= 1.15; y += down * 0.275 * r;
        var s = 2 * r, ir = Math.sqrt(3) / 6 * s, h = Math.sqrt(s * s - r * r);
        pts = [[x, y - down * (h - ir)], [x + r, y + down * ir], [x - r, y + down * ir]]; return poly();
      default:  // dot (and anything else: a circle of its size)
        return "<circle cx=\"" + N(x) + "\" cy=\"" + N(y) + "\" r=\"" + N(r) + "\"" + attrs + "/>";
    }
  }
  // How far below a line's `baseline` (as vis-network draws it on its canvas) the SVG text's
  // alphabetic baseline is, measured in this browser with the label's own font.
  function baselineDrop(ctx, block, baseline) {
    if (baseline === "alphabetic") return 0;
    ctx.save(); ctx.font = block.font; ctx.textBaseline = baseline;
    var m = ctx.measureText(block.text); ctx.restore();
    if (typeof m.alphabeticBaseline === "number") return -m.alphabeticBaseline;
    return (baseline === "hanging" ? 0.75 : 0.26) * block.size;
  }
  // A label's lines as <text> elements, where vis-network draws them: each line centred on x,
  // the first line's `baseline` at y (nodes: "hanging" under a shape, "middle" inside a box).
  function svgLabel(ctx, lm, x, y, baseline, transform) {
    var out = [], N = PIC.num;
    if (!lm.lines || !lm.lines.length) return "";
    var sc = lm.elementOptions.scaling, least = sc && sc.label ? sc.label.drawThreshold : 5;
    if (lm.fontOptions.size * network.getScale() < least - 1) return "";  // vis-network skips it too
    lm.lines.forEach(function (line) {
      var blocks = line.blocks || [], text = blocks.map(function (b) { return b.text; }).join("");
      if (text) {
        var b = blocks[0];
        var stroke = b.strokeWidth > 0 ? PIC.paint("stroke", b.strokeColor) + " stroke-width=\"" + N(b.strokeWidth) +
          "\" stroke-linejoin=\"round\" paint-order=\"stroke\"" : "";
        out.push("<text x=\"" + N(x) + "\" y=\"" + N(y + baselineDrop(ctx, b, baseline)) + "\" text-anchor=\"middle\" font-size=\"" +
          N(b.size) + "\"" + (/bold/.test(b.mod) ? " font-weight=\"bold\"" : "") + (/ital/.test(b.mod) ? " font-style=\"italic\"" : "") +
          PIC.paint("fill", b.color) + stroke + (transform ? " transform=\"" + transform + "\"" : "") + ">" + PIC.xml(text) + "</text>");
      }
      y += line.height;
    });
    return out.join("");
  }
  // Shapes vis-network draws their label in; the others have it below, on a hanging baseline.
  var LABEL_INSIDE = { box: 1, circle: 1, ellipse: 1, database: 1, text: 1 };
  // SVG: the nodes and edges in view (shapes, colours, sizes, arrows, labels as <text>), in the
  // canvas coordinates vis-network draws in, under the view's pan and zoom.
  function svgPicture() {
    var N = PIC.num, body = network.body, scale = network.getScale();
    var w = container.clientWidth, h = container.clientHeight, origin = network.canvasToDOM({ x: 0, y: 0 });
    var a = network.DOMtoCanvas({ x: 0, y: 0 }), b = network.DOMtoCanvas({ x: w, y: h });
    function inView(l, t, r, bt) { return l <= b.x && r >= a.x && t <= b.y && bt >= a.y; }
    var ctx = graphCanvas().getContext("2d"), shown = new Set(shownIds()), nodeOut = [], edgeOut = [], drawn = [];
    body.edgeIndices.forEach(function (id) {
      var e = body.edges[id];
      if (!e || e.connected !== true) return;
      var v = e.getFormattingValues(), t = e.edgeType, from = t.from, to = t.to;
      if (v.hidden || !from || !to || !shown.has(from.id) || !shown.has(to.id)) return;
      var via = t.getViaNode ? t.getViaNode() : undefined, xs = [from.x, to.x], ys = [from.y, to.y];
      if (via && typeof via.x === "number") { xs.push(via.x); ys.push(via.y); } else via = null;
      if (!inView(Math.min.apply(null, xs), Math.min.apply(null, ys), Math.max.apply(null, xs), Math.max.apply(null, ys))) return;
      var col = t.getColor(ctx, v), stroke = typeof col === "string" ? col : (e.options.color.color || "#999999");
      var d = "M" + N(from.x) + " " + N(from.y) + (via ? " Q" + N(via.x) + " " + N(via.y) + " " : " L") + N(to.x) + " " + N(to.y);
      var g = ["<g class=\"ckg-edge\" data-id=\"" + PIC.xml(id) + "\">",
               "<path d=\"" + d + "\" fill=\"none\"" + PIC.paint("stroke", stroke) + " stroke-width=\"" + N(v.width) + "\"" +
               (v.dashes !== false ? " stroke-dasharray=\"5 5\" stroke-linecap=\"round\"" : "") + "/>"];
      if (v.toArrow && from !== to) {
        var ad = t.getArrowData(ctx, "to", via || undefined, e.selected, e.hover, v), c = Math.cos(ad.angle), s = Math.sin(ad.angle);
        var head = [[0, 0], [-1, 0.3], [-0.9, 0], [-1, -0.3]].map(function (p) {
          return N(ad.point.x + ad.length * (p[0] * c - p[1] * s)) + "," + N(ad.point.y + ad.length * (p[0] * s + p[1] * c));
        });
        g.push("<polygon points=\"" + head.join(" ") + "\"" + PIC.paint("fill", stroke) + PIC.paint("stroke", stroke) + " stroke-width=\"" + N(v.width) + "\"/>");
      }
      if (e.options.label && e.labelModule.visible()) {
        var mid = t.getPoint(0.5, via || undefined), align = e.options.font.align, lm = e.labelModule;
        if (align === "horizontal") g.push(svgLabel(ctx, lm, mid.x, lm.size.yLine, "middle"));
        else {  // along the edge, turned the way vis-network turns it (never upside down)
          var ang = Math.atan2(from.y - to.y, from.x - to.x);
          if ((ang < -1 && from.x - to.x < 0) || (ang > 0 && from.x - to.x < 0)) ang += Math.PI;
          var turn = "translate(" + N(mid.x) + " " + N(lm.size.yLine) + ") rotate(" + N(ang * 180 / Math.PI) + ")";
          g.push(align === "top" ? svgLabel(ctx, lm, 0, -4, "alphabetic", turn)
                 : align === "bottom" ? svgLabel(ctx, lm, 0, 4, "hanging", turn) : svgLabel(ctx, lm, 0, 0, "middle", turn));
        }
      }
      g.push("</g>");
      edgeOut.push(g.join(""));
    });
    shownIds().forEach(function (id) {
      var n = body.nodes[id], bb = network.getBoundingBox(id);
      if (!n || !bb || !inView(bb.left, bb.top, bb.right, bb.bottom)) return;
      var v = n.getFormattingValues(), rec = records.get(id), label = rec ? rec.label : String(n.options.label || id);
      var attrs = PIC.paint("fill", v.color) + PIC.paint("stroke", v.borderColor) + " stroke-width=\"" + N(v.borderWidth / scale) + "\"";
      drawn.push(id);
      nodeOut.push("<g class=\"ckg-node\" data-id=\"" + PIC.xml(id) + "\"><title>" + PIC.xml(label) + "</title>" +
                   svgShape(n, v, " class=\"ckg-shape\"" + attrs) +
                   svgLabel(ctx, n.labelModule, n.x, n.labelModule.size.yLine, LABEL_INSIDE[n.options.shape] ? "middle" : "hanging") + "</g>");
    });
    var title = data.title;
    return PIC.svg(w, h, {
      title: title, background: "#ffffff",
      desc: "careerkg: " + title + ". " + drawn.length + " node" + (drawn.length === 1 ? "" : "s") + " and " +
            edgeOut.length + " edge" + (edgeOut.length === 1 ? "" : "s") + " in view, as shown.",
      body: "<g transform=\"translate(" + N(origin.x) + " " + N(origin.y) + ") scale(" + Math.round(scale * 1e6) / 1e6 + ")\">\n" +
            edgeOut.join("\n") + "\n" + nodeOut.join("\n") + "\n</g>\n"
    });
  }
  PIC.wire(pictureName, pngPicture, svgPicture, say);

  buildLegend();
  applyVisibility();
  mirror();
})();
