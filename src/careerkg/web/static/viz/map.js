/* careerkg whole-graph map: a small WebGL renderer (no libraries).
 *
 * One buffer holds every point (position, colour, size, shape: careers round, skills square),
 * one the career-career lines, one the career-skill lines; a frame is three draw calls (plus one
 * for the selected node's links), and panning or zooming changes only two uniforms. Labels, the tooltip and the side panel are HTML, filled with textContent only.
 * The page counts the frames it draws: #ckg-map carries data-fps (frames drawn in the last
 * second) and data-frames (all frames drawn), so a test can read the frame rate from the DOM.
 */
(function () {
  'use strict';

  var data = JSON.parse(document.getElementById('ckg-map-data').textContent);
  var n = data.ids.length;
  var X = Float32Array.from(data.x), Y = Float32Array.from(data.y);
  var E = data.edges, m = E.length / 2, SE = data.skillEdges || [], sm = SE.length / 2;
  var deg = data.degree, grp = data.group, labels = data.labels;
  var kind = data.kind || data.ids.map(function () { return 0; });
  var showSkills = true, colourBy = 'source';
  var box = document.getElementById('ckg-map');
  var canvas = document.getElementById('ckg-canvas');
  var labelLayer = document.getElementById('ckg-labels');
  var tooltip = document.getElementById('ckg-tooltip');
  var MAX_LABELS = 40;

  function text(el, value) { el.textContent = value; return el; }
  function make(tag, cls, value) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (value !== undefined) el.textContent = value;
    return el;
  }
  function rgb(hex) {
    var v = parseInt(hex.slice(1), 16);
    return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
  }
  function short(s, max) { return s.length > max ? s.slice(0, max - 1) + '\u2026' : s; }

  // -- the page around the map ----------------------------------------------------------------
  document.title = data.title + ' \u00b7 careerkg map';
  text(document.getElementById('ckg-title'), data.title);
  var i, nSkills = 0;
  for (i = 0; i < n; i++) if (kind[i]) nSkills++;
  var nCareers = n - nSkills;
  function count(v, word) { return v.toLocaleString('en') + ' ' + word + (v === 1 ? '' : 's'); }
  text(document.getElementById('ckg-summary'), count(nCareers, 'career') +
       (nSkills ? ' \u00b7 ' + count(nSkills, 'skill') : '') + ' \u00b7 ' + count(m + sm, 'link'));
  if (!nSkills) document.getElementById('ckg-layers').hidden = true;
  // The legend: careers (round) and skills (square), coloured by source or by kind.
  var legend = document.getElementById('ckg-legend');
  function legendRows() {
    var rows = [];
    if (colourBy === 'kind') {
      var byKind = data.kinds.map(function () { return 0; });
      for (var k = 0; k < n; k++) byKind[kind[k]]++;
      data.kinds.forEach(function (g, j) { if (byKind[j]) rows.push([g.color, g.label, byKind[j], j > 0]); });
    } else {
      [0, 1].forEach(function (skill) {
        var bySource = data.groups.map(function () { return 0; });
        for (var k = 0; k < n; k++) if (!kind[k] === !skill) bySource[grp[k]]++;
        data.groups.forEach(function (g, j) {
          if (bySource[j]) rows.push([skill ? tint(g.color) : g.color, (skill ? 'Skill: ' : 'Career: ') + g.label, bySource[j], !!skill]);
        });
      });
    }
    legend.replaceChildren();
    rows.forEach(function (r) {
      var li = make('li'), sw = make('span', r[3] ? 'ckg-swatch ckg-square' : 'ckg-swatch');
      sw.style.background = r[0];
      li.appendChild(sw);
      li.appendChild(make('span', null, r[1]));
      li.appendChild(make('span', 'ckg-count', r[2].toLocaleString('en')));
      legend.appendChild(li);
    });
  }
  // A skill's colour in "by source" mode: its source's colour, paler.
  function tint(hex) {
    var c = rgb(hex);
    return '#' + c.map(function (v) { return (256 + Math.round(v + (255 - v) * 0.45)).toString(16).slice(1); }).join('');
  }
  var neighbours = new Array(n);
  for (i = 0; i < n; i++) neighbours[i] = [];
  [E, SE].forEach(function (list) {
    for (var e = 0; e < list.length; e += 2) { neighbours[list[e]].push(list[e + 1]); neighbours[list[e + 1]].push(list[e]); }
  });
  // Careers by size, largest first, then skills by size: the order labels are tried in.
  var bySize = new Uint32Array(n);
  for (i = 0; i < n; i++) bySize[i] = i;
  bySize.sort(function (a, b) { return (kind[a] ? 1 : 0) - (kind[b] ? 1 : 0) || deg[b] - deg[a] || a - b; });
  function baseSize(k) { return kind[k] ? Math.min(7, 1.8 + 0.3 * Math.sqrt(deg[k])) : 2.5 + 1.2 * Math.sqrt(deg[k]); }
  var lower = labels.map(function (s) { return s.toLowerCase(); });

  // -- WebGL ----------------------------------------------------------------------------------
  // preserveDrawingBuffer: at rest the picture is completed over several frames (see frame()).
  var gl = canvas.getContext('webgl', { antialias: true, alpha: false, premultipliedAlpha: false, preserveDrawingBuffer: true });
  if (!gl) {
    var notice = document.getElementById('ckg-notice');
    notice.hidden = false;
    text(notice, 'This browser cannot draw WebGL, so the map is empty; the search and details still work.');
  }
  function shader(type, source) {
    var s = gl.createShader(type);
    gl.shaderSource(s, source);
    gl.compileShader(s);
    if (!gl.getShaderParameter(s, gl.COMPILE_STATUS)) throw new Error(gl.getShaderInfoLog(s));
    return s;
  }
  function program(vs, fs) {
    var p = gl.createProgram();
    gl.attachShader(p, shader(gl.VERTEX_SHADER, vs));
    gl.attachShader(p, shader(gl.FRAGMENT_SHADER, fs));
    gl.linkProgram(p);
    if (!gl.getProgramParameter(p, gl.LINK_STATUS)) throw new Error(gl.getProgramInfoLog(p));
    return p;
  }
  // Six corners per link (x, y, other x, other y, side), for drawArrays(TRIANGLES).
  var CORNERS = [[0, 1], [0, -1], [1, 1], [1, 1], [0, -1], [1, -1]];
  function edgeVertices(pairs) {
    var count = pairs.length / 2, out = new Float32Array(count * 30), o = 0;
    for (var e = 0; e < count; e++) {
      var ends = [pairs[2 * e], pairs[2 * e + 1]];
      for (var c = 0; c < 6; c++) {
        var here = ends[CORNERS[c][0]], there = ends[1 - CORNERS[c][0]];
        // The side is seen from the first end, so both ends push the same way.
        out[o++] = X[here]; out[o++] = Y[here]; out[o++] = X[there]; out[o++] = Y[there];
        out[o++] = CORNERS[c][0] ? -CORNERS[c][1] : CORNERS[c][1];
      }
    }
    return out;
  }
  function bindLines() {
    gl.enableVertexAttribArray(lns.a_pos); gl.enableVertexAttribArray(lns.a_other); gl.enableVertexAttribArray(lns.a_side);
    gl.vertexAttribPointer(lns.a_pos, 2, gl.FLOAT, false, 20, 0);
    gl.vertexAttribPointer(lns.a_other, 2, gl.FLOAT, false, 20, 8);
    gl.vertexAttribPointer(lns.a_side, 1, gl.FLOAT, false, 20, 16);
  }
  var VIEW = 'uniform vec2 u_scale; uniform vec2 u_offset;\n';
  var pointProg, lineProg, pointBuf, lineBuf, skillLineBuf, pickBuf, pickCount = 0, pts = {}, lns = {};
  // Points, interleaved: x, y, size (floats) and r, g, b, shape (bytes). Skills first, then
  // careers (so hiding skills draws the tail only), each part small to large (hubs on top).
  // Each point's colour now ([r, g, b], 0-255): by kind, or by source (a skill paler).
  function pointColours() {
    var palette = colourBy === 'kind' ?
      data.kinds.map(function (g) { return [rgb(g.color), rgb(g.color)]; }) :
      data.groups.map(function (g) { return [rgb(g.color), rgb(tint(g.color))]; });
    return function (v) { return colourBy === 'kind' ? palette[kind[v]][0] : palette[grp[v]][kind[v] ? 1 : 0]; };
  }
  function fillPoints() {
    var colourOf = pointColours();
    var stride = 16, raw = new ArrayBuffer(n * stride), f32 = new Float32Array(raw), u8 = new Uint8Array(raw);
    var j = 0;
    function put(v) {
      var c = colourOf(v);
      f32[j * 4] = X[v]; f32[j * 4 + 1] = Y[v]; f32[j * 4 + 2] = baseSize(v);
      u8[j * stride + 12] = c[0]; u8[j * stride + 13] = c[1]; u8[j * stride + 14] = c[2];
      u8[j * stride + 15] = kind[v] ? 0 : 255;
      j++;
    }
    for (var q = n - 1; q >= 0; q--) if (kind[bySize[q]]) put(bySize[q]);
    for (q = n - 1; q >= 0; q--) if (!kind[bySize[q]]) put(bySize[q]);
    gl.bindBuffer(gl.ARRAY_BUFFER, pointBuf);
    gl.bufferData(gl.ARRAY_BUFFER, raw, gl.STATIC_DRAW);
  }
  if (gl) {
    pointProg = program(
      VIEW + 'uniform float u_px; attribute vec2 a_pos; attribute vec4 a_color; attribute float a_size;\n' +
      'varying vec4 v_color;\n' +
      'void main() { gl_Position = vec4(a_pos * u_scale + u_offset, 0.0, 1.0);\n' +
      '  gl_PointSize = a_size * u_px; v_color = a_color; }',
      'precision mediump float; varying vec4 v_color;\n' +
      // Alpha carries the shape: 1 round (a career), 0 square (a skill).
      'void main() { vec2 c = gl_PointCoord * 2.0 - 1.0;\n' +
      '  float r = v_color.a > 0.5 ? dot(c, c) : max(c.x * c.x, c.y * c.y);\n' +
      '  if (r > 1.0) discard;\n' +
      '  gl_FragColor = vec4(r > 0.55 ? v_color.rgb * 0.7 : v_color.rgb, 1.0); }');
    // Lines are thin triangles (GL_LINES is slow in software renderers): each link is two
    // triangles whose corners are pushed sideways, in pixels, from its two ends.
    lineProg = program(
      VIEW + 'uniform vec2 u_half; attribute vec2 a_pos; attribute vec2 a_other; attribute float a_side;\n' +
      'void main() { vec2 p = a_pos * u_scale + u_offset; vec2 q = a_other * u_scale + u_offset;\n' +
      '  vec2 d = (q - p) * u_half; float l = length(d);\n' +
      '  vec2 nrm = l > 0.0 ? vec2(-d.y, d.x) / l : vec2(0.0);\n' +
      '  gl_Position = vec4(p + nrm * a_side * 0.6 / u_half, 0.0, 1.0); }',
      'precision mediump float; uniform vec4 u_color; void main() { gl_FragColor = u_color; }');
    ['u_scale', 'u_offset', 'u_px'].forEach(function (u) { pts[u] = gl.getUniformLocation(pointProg, u); });
    ['a_pos', 'a_color', 'a_size'].forEach(function (a) { pts[a] = gl.getAttribLocation(pointProg, a); });
    ['u_scale', 'u_offset', 'u_color', 'u_half'].forEach(function (u) { lns[u] = gl.getUniformLocation(lineProg, u); });
    ['a_pos', 'a_other', 'a_side'].forEach(function (a) { lns[a] = gl.getAttribLocation(lineProg, a); });

    pointBuf = gl.createBuffer();
    fillPoints();
    // Lines: the career-career links in one buffer, the career-skill links in another.
    lineBuf = gl.createBuffer();
    gl.bindBuffer(gl.ARRAY_BUFFER, lineBuf);
    gl.bufferData(gl.ARRAY_BUFFER, edgeVertices(E), gl.STATIC_DRAW);
    skillLineBuf = gl.createBuffer();
    gl.bindBuffer(gl.ARRAY_BUFFER, skillLineBuf);
    gl.bufferData(gl.ARRAY_BUFFER, edgeVertices(SE), gl.STATIC_DRAW);
    pickBuf = gl.createBuffer();
    gl.disable(gl.DEPTH_TEST);
    gl.enable(gl.BLEND);
    gl.blendFunc(gl.SRC_ALPHA, gl.ONE_MINUS_SRC_ALPHA);
  }

  // -- the view: world point (cx, cy) at the centre, zoom pixels per world unit ----------------
  var view = { cx: 0, cy: 0, zoom: 1 }, W = 1, H = 1, dpr = 1, fitZoom = 1;
  var minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (i = 0; i < n; i++) {
    if (X[i] < minX) minX = X[i]; if (X[i] > maxX) maxX = X[i];
    if (Y[i] < minY) minY = Y[i]; if (Y[i] > maxY) maxY = Y[i];
  }
  if (!n) { minX = minY = -1; maxX = maxY = 1; }
  function resize() {
    dpr = window.devicePixelRatio || 1;
    W = box.clientWidth || 1; H = box.clientHeight || 1;
    canvas.width = Math.round(W * dpr); canvas.height = Math.round(H * dpr);
    redraw();
  }
  function fit() {
    view.cx = (minX + maxX) / 2; view.cy = (minY + maxY) / 2;
    view.zoom = fitZoom = Math.min(W / (maxX - minX + 40), H / (maxY - minY + 40));
    redraw();
  }
  function toScreen(k) { return [(X[k] - view.cx) * view.zoom + W / 2, (Y[k] - view.cy) * view.zoom + H / 2]; }
  function sizeScale() { return Math.min(3, Math.max(0.6, Math.sqrt(view.zoom / fitZoom))); }
  function radius(k) { return baseSize(k) * sizeScale() / 2; }

  // -- frames and the frame counter -----------------------------------------------------------
  // The links come in a shuffled order, so any first part of them is an even sample. While the
  // view moves, only the first `budget` links are drawn; at rest the picture is completed over
  // the next frames, `chunk` more links a frame, on top of what is there (the drawing buffer is
  // kept; the points are drawn again with the last part), so no frame takes long and the page
  // stays responsive. Each shrinks (in proportion) when its frames come more than 45 ms apart
  // and grows when they come under 25 ms.
  var dirty = false, frames = 0, stamps = [], moving = false, stillTimer = 0, lastFrame = 0;
  var budget = Math.min(m + sm, 4000), chunk = 20000, restDrawn = 0, scene = '', lastMoving = false;
  function moved() {
    moving = true;
    clearTimeout(stillTimer);
    stillTimer = setTimeout(function () { moving = false; redraw(); }, 200);
  }
  function sceneKey() { return [view.cx, view.cy, view.zoom, W, H, dpr, showSkills, colourBy, selected].join(); }
  function redraw() {
    if (!dirty) { dirty = true; requestAnimationFrame(frame); }
  }
  function linkCount() { return m + (showSkills ? sm : 0); }
  function frame(now) {
    dirty = false;
    if (lastFrame && now - lastFrame < 1000 && lastMoving === moving) {
      var took = now - lastFrame, size = moving ? budget : chunk;
      if (took > 45) size = Math.max(500, Math.floor(size * Math.max(0.1, 30 / took)));
      else if (took < 25) size = Math.min(m + sm, Math.ceil(size * 1.25) + 100);
      if (moving) budget = size; else chunk = size;
    }
    lastMoving = moving;
    // What the picture shows: when it changes (or the view moves) the picture starts again.
    var sceneNow = sceneKey();
    if (moving || sceneNow !== scene) restDrawn = 0;
    scene = sceneNow;
    draw();
    var more = moving || restDrawn < linkCount();
    lastFrame = more ? now : 0;
    if (!moving && restDrawn < linkCount()) redraw();
    frames++;
    stamps.push(now);
    while (stamps.length && stamps[0] <= now - 1000) stamps.shift();
    box.dataset.frames = String(frames);
    box.dataset.fps = String(stamps.length);
    box.dataset.complete = !moving && restDrawn >= linkCount() ? '1' : '';
    if (!box.dataset.ready) box.dataset.ready = '1';
  }
  // Links [from, to) of the career links followed by (when shown) the skill links.
  function drawLinks(from, to) {
    var ratio = Math.sqrt(view.zoom / fitZoom);
    if (from < m) {
      gl.uniform4f(lns.u_color, 0.35, 0.4, 0.5, Math.min(0.5, 0.1 * ratio));
      gl.bindBuffer(gl.ARRAY_BUFFER, lineBuf);
      bindLines();
      gl.drawArrays(gl.TRIANGLES, from * 6, (Math.min(to, m) - from) * 6);
    }
    if (to > m) {
      var start = Math.max(from, m) - m;
      gl.uniform4f(lns.u_color, 0.3, 0.55, 0.35, Math.min(0.35, 0.05 * ratio));
      gl.bindBuffer(gl.ARRAY_BUFFER, skillLineBuf);
      bindLines();
      gl.drawArrays(gl.TRIANGLES, start * 6, (to - m - start) * 6);
    }
  }
  function viewUniforms() {
    var sx = 2 * view.zoom / W, sy = -2 * view.zoom / H;
    return [[sx, sy], [-view.cx * sx, -view.cy * sy]];
  }
  function startLines(u) {
    gl.useProgram(lineProg);
    gl.uniform2fv(lns.u_scale, u[0]); gl.uniform2fv(lns.u_offset, u[1]);
    gl.uniform2f(lns.u_half, canvas.width / 2, canvas.height / 2);
  }
  // The selected node's links (orange), then every point over the links.
  function drawTop(u) {
    if (pickCount) {
      gl.uniform4f(lns.u_color, 0.85, 0.55, 0.0, 0.9);
      gl.bindBuffer(gl.ARRAY_BUFFER, pickBuf);
      bindLines();
      gl.drawArrays(gl.TRIANGLES, 0, pickCount);
    }
    gl.disableVertexAttribArray(lns.a_other); gl.disableVertexAttribArray(lns.a_side);
    gl.useProgram(pointProg);
    gl.uniform2fv(pts.u_scale, u[0]); gl.uniform2fv(pts.u_offset, u[1]);
    gl.uniform1f(pts.u_px, sizeScale() * dpr);
    gl.bindBuffer(gl.ARRAY_BUFFER, pointBuf);
    gl.enableVertexAttribArray(pts.a_pos);
    gl.enableVertexAttribArray(pts.a_size);
    gl.enableVertexAttribArray(pts.a_color);
    gl.vertexAttribPointer(pts.a_pos, 2, gl.FLOAT, false, 16, 0);
    gl.vertexAttribPointer(pts.a_size, 1, gl.FLOAT, false, 16, 8);
    gl.vertexAttribPointer(pts.a_color, 4, gl.UNSIGNED_BYTE, true, 16, 12);
    gl.drawArrays(gl.POINTS, showSkills ? 0 : nSkills, showSkills ? n : nCareers);
    gl.disableVertexAttribArray(pts.a_size); gl.disableVertexAttribArray(pts.a_color);
  }
  function clearPicture() {
    gl.viewport(0, 0, canvas.width, canvas.height);
    gl.clearColor(0.988, 0.988, 0.992, 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
  }
  function draw() {
    var total = linkCount();
    if (gl && !(restDrawn >= total && !moving)) {
      gl.viewport(0, 0, canvas.width, canvas.height);
      if (!restDrawn) clearPicture();
      var u = viewUniforms();
      startLines(u);
      // Career-career links first, then the skills': a first part favours careers.
      var first = !restDrawn, upto = Math.min(total, restDrawn + (moving ? budget : chunk));
      drawLinks(restDrawn, upto);
      restDrawn = moving ? 0 : upto;
      box.dataset.linesDrawn = String(upto);
      var last = moving || upto >= total;
      if (!first && !last) { placeLabels(); placeTooltip(); return; }
      // Points over the links (again with the last part of a picture, so links never cover them).
      drawTop(u);
    }
    placeLabels();
    placeTooltip();
  }
  // The whole picture at once (every link), for a PNG: read in the same task, before the page
  // draws another frame; the frames that follow find it complete and draw nothing more.
  function drawWhole() {
    if (!gl) return;
    clearPicture();
    var u = viewUniforms();
    startLines(u);
    drawLinks(0, linkCount());
    drawTop(u);
    restDrawn = linkCount();
    scene = sceneKey();
    box.dataset.linesDrawn = String(restDrawn);
    placeLabels();
  }

  // -- labels: HTML, for the largest careers in view (then smaller ones as you zoom in) ---------
  var pool = [];
  function labelAt(slot, k, cls) {
    var el = pool[slot];
    if (!el) { el = pool[slot] = make('div', 'ckg-label'); labelLayer.appendChild(el); }
    if (el.dataset.node !== String(k)) { el.dataset.node = String(k); text(el, short(labels[k], 40)); }
    el.className = cls;
    el.hidden = false;
    return el;
  }
  var labelled = [];  // the labels shown: [node, x, y, element]
  function placeLabels() {
    var placed = [], slot = 0;
    labelled = [];
    function tryPlace(k, cls, force) {
      var p = toScreen(k), r = radius(k);
      if (p[0] < -50 || p[0] > W + 50 || p[1] < -20 || p[1] > H + 20) return;
      var w = Math.min(40, labels[k].length) * 6.6 + 8, h = 15;
      var x = p[0] - w / 2, y = p[1] + r + 1;
      for (var q = 0; q < placed.length && !force; q++) {
        var o = placed[q];
        if (x < o[0] + o[2] && o[0] < x + w && y < o[1] + o[3] && o[1] < y + h) return;
      }
      placed.push([x, y, w, h]);
      var el = labelAt(slot++, k, cls);
      labelled.push([k, Math.round(x), Math.round(y), el]);
      el.style.transform = 'translate(' + Math.round(x) + 'px,' + Math.round(y) + 'px)';
    }
    if (selected >= 0) tryPlace(selected, 'ckg-label ckg-picked', true);
    var scanned = 0;
    for (var j = 0, most = moving ? 3000 : n; j < n && slot < MAX_LABELS && scanned < most; j++) {
      var k = bySize[j];
      if (k === selected || (kind[k] && !showSkills)) continue;
      scanned++;
      tryPlace(k, j < 12 ? 'ckg-label ckg-big' : kind[k] ? 'ckg-label ckg-skill' : 'ckg-label', false);
    }
    for (var s = slot; s < pool.length; s++) pool[s].hidden = true;
    box.dataset.labels = String(slot);
  }

  // -- hover, click, tooltip ------------------------------------------------------------------
  var hovered = -1, selected = -1;
  function nodeAt(px, py) {
    var best = -1, bestD = Infinity, scale = sizeScale();
    var wx = (px - W / 2) / view.zoom + view.cx, wy = (py - H / 2) / view.zoom + view.cy;
    for (var k = 0; k < n; k++) {
      if (kind[k] && !showSkills) continue;
      var dx = (X[k] - wx) * view.zoom, dy = (Y[k] - wy) * view.zoom, d = dx * dx + dy * dy;
      var r = baseSize(k) * scale / 2 + 3;
      if (d <= r * r && d < bestD) { best = k; bestD = d; }
    }
    return best;
  }
  function placeTooltip() {
    if (hovered < 0) { tooltip.hidden = true; return; }
    var p = toScreen(hovered);
    tooltip.hidden = false;
    var x = Math.min(Math.max(4, p[0] + 10), Math.max(4, W - tooltip.offsetWidth - 4));
    var y = p[1] - tooltip.offsetHeight - 10;
    if (y < 4) y = p[1] + 12;
    tooltip.style.transform = 'translate(' + Math.round(x) + 'px,' + Math.round(y) + 'px)';
  }
  function hover(k) {
    if (k === hovered) return;
    hovered = k;
    box.dataset.hovered = k < 0 ? '' : data.ids[k];
    if (k >= 0) {
      tooltip.replaceChildren(make('span', null, labels[k]), make('small', null, describe(k)));
    }
    redraw();
  }
  function kindLabel(k) { return data.kinds ? data.kinds[kind[k]].label : 'Career'; }
  function describe(k) {
    return kindLabel(k) + ' \u00b7 ' + data.groups[grp[k]].label + ' \u00b7 ' +
      (kind[k] ? count(deg[k], 'career') : count(neighbours[k].length, 'link'));
  }
  // The explorer's career page for career k (null offline): the short id expanded to its IRI.
  function careerPage(k) {
    if (!data.viewUrl || kind[k]) return null;
    var id = data.ids[k], iri = id;
    for (var p = 0; p < data.prefixes.length; p++) {
      if (id.indexOf(data.prefixes[p][0]) === 0) { iri = data.prefixes[p][1] + id.slice(data.prefixes[p][0].length); break; }
    }
    return data.viewUrl + encodeURIComponent(iri);
  }
  function linkList(dl, title, items) {
    dl.appendChild(make('dt', null, title + ' (' + items.length + ')'));
    var dd = make('dd'), ul = make('ul', 'ckg-links');
    items.slice(0, 60).forEach(function (o) { var li = make('li'); li.appendChild(linkTo(o)); ul.appendChild(li); });
    if (items.length > 60) ul.appendChild(make('li', 'ckg-hint', '\u2026 and ' + (items.length - 60) + ' more'));
    dd.appendChild(ul);
    dl.appendChild(dd);
  }
  function select(k) {
    selected = k;
    box.dataset.selected = k < 0 ? '' : data.ids[k];
    var details = document.getElementById('ckg-details');
    if (k < 0) { pickCount = 0; redraw(); return; }
    var near = neighbours[k].slice().sort(function (a, b) { return deg[b] - deg[a] || a - b; });
    if (gl) {
      var pairs = [];
      near.forEach(function (o) { pairs.push(k, o); });
      gl.bindBuffer(gl.ARRAY_BUFFER, pickBuf);
      gl.bufferData(gl.ARRAY_BUFFER, edgeVertices(pairs), gl.DYNAMIC_DRAW);
      pickCount = near.length * 6;
    }
    var dl = make('dl');
    dl.appendChild(make('dt', null, kindLabel(k)));
    dl.appendChild(make('dd', null, labels[k]));
    dl.appendChild(make('dt', null, 'Source'));
    dl.appendChild(make('dd', null, data.groups[grp[k]].label));
    dl.appendChild(make('dt', null, 'Id'));
    dl.appendChild(make('dd', null, data.ids[k]));
    var page = careerPage(k);
    if (page) {
      var a = make('a', 'ckg-open', 'Open the career page \u2192');
      a.href = page;
      dl.appendChild(make('dd')).appendChild(a);
    }
    linkList(dl, 'Linked careers', near.filter(function (o) { return !kind[o]; }));
    var skills = near.filter(function (o) { return kind[o]; });
    if (skills.length) linkList(dl, 'Skills', skills);
    details.replaceChildren(dl);
    redraw();
  }
  function linkTo(k) {
    var b = make('button', 'ckg-link', labels[k]);
    b.type = 'button';
    b.addEventListener('click', function () { centre(k); });
    return b;
  }
  function centre(k) {
    view.cx = X[k]; view.cy = Y[k];
    view.zoom = Math.max(view.zoom, fitZoom * (n > 5000 ? 12 : 6));  // closer in a crowded map
    if (kind[k] && !showSkills) { showSkills = true; skillBox.checked = true; }
    select(k);
  }

  // -- pan (drag), zoom (wheel), keys ---------------------------------------------------------
  var drag = null;
  box.addEventListener('pointerdown', function (e) {
    if (e.button !== 0) return;
    drag = { x: e.clientX, y: e.clientY, cx: view.cx, cy: view.cy, moved: false };
    try { box.setPointerCapture(e.pointerId); } catch (err) { /* a synthetic pointer */ }
  });
  box.addEventListener('pointermove', function (e) {
    var r = box.getBoundingClientRect();
    if (drag) {
      var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (!drag.moved && dx * dx + dy * dy > 16) { drag.moved = true; box.classList.add('ckg-dragging'); hover(-1); }
      if (drag.moved) {
        view.cx = drag.cx - dx / view.zoom; view.cy = drag.cy - dy / view.zoom;
        moved();
        redraw();
      }
      return;
    }
    hover(nodeAt(e.clientX - r.left, e.clientY - r.top));
  });
  function endDrag(e) {
    if (!drag) return;
    var wasClick = !drag.moved;
    drag = null;
    box.classList.remove('ckg-dragging');
    if (wasClick && e.type === 'pointerup') {
      var r = box.getBoundingClientRect();
      select(nodeAt(e.clientX - r.left, e.clientY - r.top));
    }
  }
  box.addEventListener('pointerup', endDrag);
  box.addEventListener('pointercancel', endDrag);
  box.addEventListener('pointerleave', function () { if (!drag) hover(-1); });
  function zoomAt(px, py, factor) {
    var wx = (px - W / 2) / view.zoom + view.cx, wy = (py - H / 2) / view.zoom + view.cy;
    view.zoom = Math.min(fitZoom * 200, Math.max(fitZoom / 4, view.zoom * factor));
    view.cx = wx - (px - W / 2) / view.zoom; view.cy = wy - (py - H / 2) / view.zoom;
    moved();
    redraw();
  }
  box.addEventListener('wheel', function (e) {
    e.preventDefault();
    var r = box.getBoundingClientRect();
    zoomAt(e.clientX - r.left, e.clientY - r.top, Math.exp(-e.deltaY * (e.deltaMode ? 0.05 : 0.0015)));
  }, { passive: false });
  box.addEventListener('keydown', function (e) {
    var step = 60 / view.zoom;
    if (e.key === 'ArrowLeft') view.cx -= step;
    else if (e.key === 'ArrowRight') view.cx += step;
    else if (e.key === 'ArrowUp') view.cy -= step;
    else if (e.key === 'ArrowDown') view.cy += step;
    else if (e.key === '+' || e.key === '=') { zoomAt(W / 2, H / 2, 1.25); e.preventDefault(); return; }
    else if (e.key === '-' || e.key === '_') { zoomAt(W / 2, H / 2, 0.8); e.preventDefault(); return; }
    else if (e.key === 'Escape') { select(-1); return; }
    else return;
    e.preventDefault();
    moved();
    redraw();
  });
  document.getElementById('ckg-fit').addEventListener('click', fit);
  if (data.viewUrl) {
    // In the explorer: a way back to its search.
    var home = make('a', 'ckg-home', 'careerkg explorer');
    home.href = data.viewUrl.replace(/\/view\?c=$/, '/');
    document.getElementById('ckg-header').insertBefore(home, document.getElementById('ckg-title'));
  }
  var skillBox = document.getElementById('ckg-show-skills');
  skillBox.addEventListener('change', function () {
    showSkills = skillBox.checked;
    if (!showSkills && selected >= 0 && kind[selected]) select(-1);
    hover(-1);
    redraw();
  });
  Array.prototype.forEach.call(document.querySelectorAll('input[name=ckg-colour]'), function (input) {
    input.addEventListener('change', function () {
      colourBy = input.value;
      box.dataset.colour = colourBy;
      if (gl) fillPoints();
      legendRows();
      redraw();
    });
  });
  legendRows();

  // -- search: centre the best match, list the others -----------------------------------------
  var results = document.getElementById('ckg-results'), status = document.getElementById('ckg-status');
  document.getElementById('ckg-search').addEventListener('submit', function (e) {
    e.preventDefault();
    var q = document.getElementById('ckg-search-input').value.trim().toLowerCase();
    results.replaceChildren();
    if (!q) { text(status, ''); return; }
    var found = [];
    for (var k = 0; k < n; k++) {
      if (kind[k] && !showSkills) continue;
      var at = lower[k].indexOf(q);
      // Careers before skills, then exact, prefix and other matches, then the best linked.
      if (at >= 0) found.push([(kind[k] ? 3 : 0) + (lower[k] === q ? 0 : at === 0 ? 1 : 2), -deg[k], k]);
    }
    found.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]; });
    text(status, found.length ? found.length.toLocaleString('en') + (found.length === 1 ? ' match' : ' matches') :
         'Nothing matches \u201c' + q + '\u201d');
    found.slice(0, 10).forEach(function (f) {
      var li = make('li');
      li.appendChild(linkTo(f[2]));
      li.appendChild(make('small', 'ckg-kind', kindLabel(f[2]) + ' \u00b7 ' + data.groups[grp[f[2]]].label));
      results.appendChild(li);
    });
    if (found.length) centre(found[0][2]);
  });

  // -- pictures: the map as shown, as a PNG or an SVG (export.js saves them) --------------------
  // An SVG holds at most this many links and points (the first links of the fixed shuffled
  // order, an even sample as while panning; the largest points); it says so when it holds fewer.
  var SVG_LINKS = 10000, SVG_POINTS = 30000;
  var PIC = window.careerkgPicture, measure = document.createElement('canvas').getContext('2d');
  function pictureName() {
    return PIC.slug(data.title + (selected >= 0 ? ' ' + labels[selected] : ''), 'careerkg-map');
  }
  function background() { return getComputedStyle(box).backgroundColor || '#fcfcfd'; }
  // What a shown label looks like (its element's style), where it is, in CSS pixels.
  function labelLook(entry) {
    var el = entry[3], cs = getComputedStyle(el);
    var bl = parseFloat(cs.borderLeftWidth) || 0, bt = parseFloat(cs.borderTopWidth) || 0;
    var line = parseFloat(cs.lineHeight) || el.offsetHeight - 2 * bt;
    return { k: entry[0], x: entry[1], y: entry[2], w: el.offsetWidth, h: el.offsetHeight, text: el.textContent,
             font: cs.fontStyle + ' ' + cs.fontWeight + ' ' + cs.fontSize + ' ' + cs.fontFamily, size: parseFloat(cs.fontSize),
             bold: parseInt(cs.fontWeight, 10) >= 600, italic: cs.fontStyle === 'italic', color: cs.color,
             fill: cs.backgroundColor, border: bt ? cs.borderTopColor : null, borderWidth: bt,
             radius: parseFloat(cs.borderTopLeftRadius) || 0,
             textX: entry[1] + bl + (parseFloat(cs.paddingLeft) || 0), middle: entry[2] + bt + line / 2 };
  }
  // The HTML labels painted over the WebGL picture, as the page shows them.
  function paintLabels(ctx) {
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    labelled.map(labelLook).forEach(function (l) {
      ctx.beginPath();
      if (ctx.roundRect) ctx.roundRect(l.x, l.y, l.w, l.h, l.radius); else ctx.rect(l.x, l.y, l.w, l.h);
      ctx.fillStyle = l.fill; ctx.fill();
      if (l.border) { ctx.strokeStyle = l.border; ctx.lineWidth = l.borderWidth; ctx.stroke(); }
      ctx.font = l.font; ctx.fillStyle = l.color; ctx.textBaseline = 'middle'; ctx.textAlign = 'left';
      ctx.fillText(l.text, l.textX, l.middle);
    });
  }
  function pngPicture(done) {
    drawWhole();  // every link drawn now, so the PNG is the complete picture
    PIC.png(canvas, background(), paintLabels, done);
  }
  function hex(c) { return '#' + c.map(function (v) { return (256 + Math.round(v)).toString(16).slice(1); }).join(''); }
  function svgPicture() {
    var N = PIC.num, out = [], notes = [];
    function onScreen(x0, y0, x1, y1) { return Math.max(x0, x1) >= 0 && Math.min(x0, x1) <= W && Math.max(y0, y1) >= 0 && Math.min(y0, y1) <= H; }
    // Links in view, career links first (the order the map draws them in), up to SVG_LINKS.
    var ratio = Math.sqrt(view.zoom / fitZoom), width = N(1.2 / dpr), inView = 0, drawnLinks = 0;
    function links(list, count, stroke, opacity) {
      out.push('<g class="ckg-links" fill="none" stroke="' + stroke + '" stroke-opacity="' + N(opacity) + '" stroke-width="' + width + '">\n');
      for (var e = 0; e < count; e++) {
        var a = toScreen(list[2 * e]), b = toScreen(list[2 * e + 1]);
        if (!onScreen(a[0], a[1], b[0], b[1])) continue;
        inView++;
        if (drawnLinks >= SVG_LINKS) continue;
        drawnLinks++;
        out.push('<line x1="' + N(a[0]) + '" y1="' + N(a[1]) + '" x2="' + N(b[0]) + '" y2="' + N(b[1]) + '"/>\n');
      }
      out.push('</g>\n');
    }
    links(E, m, '#596680', Math.min(0.5, 0.1 * ratio));
    if (showSkills) links(SE, sm, '#4d8c59', Math.min(0.35, 0.05 * ratio));
    if (selected >= 0) {  // the selected node's links, in orange, over the others
      out.push('<g class="ckg-picked" stroke="#d98c00" stroke-opacity="0.9" stroke-width="' + width + '">\n');
      var a = toScreen(selected);
      neighbours[selected].forEach(function (o) {
        var b = toScreen(o);
        if (onScreen(a[0], a[1], b[0], b[1])) out.push('<line x1="' + N(a[0]) + '" y1="' + N(a[1]) + '" x2="' + N(b[0]) + '" y2="' + N(b[1]) + '"/>\n');
      });
      out.push('</g>\n');
    }
    // Points in view, drawn as the map draws them: skills, then careers, each small to large,
    // with the darker rim of the renderer (its outer 26 %).
    var points = [], colourOf = pointColours();
    for (var j = 0; j < n; j++) {
      var k = bySize[j];
      if (kind[k] && !showSkills) continue;
      var p = toScreen(k), r = radius(k);
      if (p[0] + r >= 0 && p[0] - r <= W && p[1] + r >= 0 && p[1] - r <= H) points.push(k);
    }
    var kept = points.slice(0, SVG_POINTS).reverse();
    out.push('<g class="ckg-points">\n');
    kept.forEach(function (k) {
      var p = toScreen(k), r = radius(k), c = colourOf(k), rim = c.map(function (v) { return v * 0.7; });
      var inner = r * 0.8708, paint = ' fill="' + hex(c) + '" stroke="' + hex(rim) + '" stroke-width="' + N(r * 0.2584) + '"';
      var shape = kind[k] ?
        '<rect class="ckg-shape" x="' + N(p[0] - inner) + '" y="' + N(p[1] - inner) + '" width="' + N(2 * inner) + '" height="' + N(2 * inner) + '"' + paint + '/>' :
        '<circle class="ckg-shape" cx="' + N(p[0]) + '" cy="' + N(p[1]) + '" r="' + N(inner) + '"' + paint + '/>';
      out.push('<g class="ckg-node" data-id="' + PIC.xml(data.ids[k]) + '"><title>' + PIC.xml(labels[k]) + '</title>' + shape + '</g>\n');
    });
    out.push('</g>\n<g class="ckg-labels">\n');
    labelled.map(labelLook).forEach(function (l) {
      measure.font = l.font; measure.textBaseline = 'middle';
      var mt = measure.measureText(l.text), drop = typeof mt.alphabeticBaseline === 'number' ? -mt.alphabeticBaseline : 0.3 * l.size;
      out.push('<g data-id="' + PIC.xml(data.ids[l.k]) + '"><rect x="' + N(l.x) + '" y="' + N(l.y) + '" width="' + N(l.w) + '" height="' + N(l.h) +
               '" rx="' + N(l.radius) + '"' + PIC.paint('fill', l.fill) +
               (l.border ? PIC.paint('stroke', l.border) + ' stroke-width="' + N(l.borderWidth) + '"' : '') + '/>' +
               '<text x="' + N(l.textX) + '" y="' + N(l.middle + drop) + '" font-size="' + N(l.size) + '"' +
               (l.bold ? ' font-weight="bold"' : '') + (l.italic ? ' font-style="italic"' : '') + PIC.paint('fill', l.color) + '>' +
               PIC.xml(l.text) + '</text></g>\n');
    });
    out.push('</g>\n');
    var said = count(kept.length, 'point') + ' and ' + count(drawnLinks, 'link') + ' in view';
    if (drawnLinks < inView) {
      notes.push('links capped: ' + drawnLinks + ' of the ' + inView + ' links in view are drawn (an even sample)');
      said += ' (of ' + count(inView, 'link') + ' in view: an even sample, the first ' + SVG_LINKS.toLocaleString('en') + ')';
    }
    if (kept.length < points.length) {
      notes.push('points capped: the largest ' + kept.length + ' of the ' + points.length + ' points in view are drawn');
      said += ' (the largest of ' + count(points.length, 'point') + ' in view)';
    }
    return PIC.svg(W, H, { title: data.title, desc: 'careerkg map: ' + data.title + '. ' + said + ', as shown.',
                           background: background(), notes: notes, body: out.join('') });
  }
  PIC.wire(pictureName, pngPicture, svgPicture);

  // For tests and the console: read-only state, and the pan and zoom the frame-rate test drives.
  window.careerkgMap = {
    view: view, ids: data.ids, labels: labels,
    pan: function (dx, dy) { view.cx -= dx / view.zoom; view.cy -= dy / view.zoom; moved(); redraw(); },
    zoom: function (factor) { zoomAt(W / 2, H / 2, factor); },
    screenOf: function (id) { var k = data.ids.indexOf(id); return k < 0 ? null : toScreen(k); },
    renderer: function () {
      if (!gl) return null;
      var info = gl.getExtension('WEBGL_debug_renderer_info');
      return info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
    }
  };
  box.dataset.nodes = String(n);
  box.dataset.careers = String(nCareers);
  box.dataset.skills = String(nSkills);
  box.dataset.edges = String(m + sm);
  box.dataset.colour = colourBy;
  window.addEventListener('resize', resize);
  resize();
  fit();
})();
