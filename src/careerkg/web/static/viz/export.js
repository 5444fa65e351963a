/* careerkg pictures: what the graph shows, saved as a PNG or an SVG. Shared by the views
 * (viz.js, vis-network) and the whole-graph map (map.js, WebGL); each says how to draw itself.
 *
 * No library and no network: a picture is made in the page and saved through a Blob, an object
 * URL and an <a download> (neither an inline script nor eval, so it works under every page's
 * Content-Security-Policy). Text reaches an SVG only through xml(), which escapes & < > " ' and
 * replaces the characters XML 1.0 forbids, so a label is always text and the file always parses.
 */
(function () {
  'use strict';

  // Control characters XML 1.0 does not allow, and halves of surrogate pairs standing alone.
  var NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
  var ENTITY = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

  /** ``value`` as XML text or attribute content. */
  function xml(value) {
    return String(value).replace(NOT_XML, '\ufffd').replace(/[&<>"']/g, function (c) { return ENTITY[c]; });
  }
  /** A coordinate, short: at most two decimals. */
  function num(v) { return String(Math.round(v * 100) / 100); }

  /** A file name from a title: "Data Analyst → ML Engineer" gives "data-analyst-to-ml-engineer". */
  function slug(title, fallback) {
    var s = String(title || '').replace(/\u2192/g, ' to ').normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
      .toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+/, '').slice(0, 80).replace(/-+$/, '');
    return s || fallback;
  }

  /** A CSS colour ("#rgb", "#rrggbb", "rgb(...)", "rgba(...)") as [hex, alpha], for SVG
   * attributes (SVG 1.1 readers do not all take rgba()). */
  function colour(css) {
    var s = String(css || '').trim(), m;
    if (/^#[0-9a-f]{3}$/i.test(s)) s = '#' + s[1] + s[1] + s[2] + s[2] + s[3] + s[3];
    if (/^#[0-9a-f]{6}$/i.test(s)) return [s.toLowerCase(), 1];
    if (/^#[0-9a-f]{8}$/i.test(s)) return [s.slice(0, 7).toLowerCase(), parseInt(s.slice(7), 16) / 255];
    m = s.match(/^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+)(%?))?\s*\)$/i);
    if (!m) return [s === 'transparent' ? '#000000' : (s || '#000000'), s === 'transparent' ? 0 : 1];
    var hex = '#' + [m[1], m[2], m[3]].map(function (v) {
      return (256 + Math.max(0, Math.min(255, Math.round(+v)))).toString(16).slice(1);
    }).join('');
    var a = m[4] === undefined ? 1 : (m[5] ? +m[4] / 100 : +m[4]);
    return [hex, a];
  }
  /** ``fill="…"`` (or another paint attribute) with its opacity when not opaque. */
  function paint(attr, css) {
    var c = colour(css);
    return ' ' + attr + '="' + xml(c[0]) + '"' + (c[1] < 1 ? ' ' + attr + '-opacity="' + num(c[1]) + '"' : '');
  }

  /** The SVG file: ``width`` × ``height`` CSS pixels on ``background``, ``title`` and ``desc``
   * as its title and description, ``notes`` (no user text) as XML comments, ``body`` the drawing. */
  function svg(width, height, o) {
    var out = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
    (o.notes || []).forEach(function (note) { out.push('<!-- ', String(note).replace(/--/g, '- -'), ' -->\n'); });
    out.push('<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="', num(width), '" height="', num(height),
             '" viewBox="0 0 ', num(width), ' ', num(height), '" font-family="DejaVu Sans, Arial, sans-serif">\n',
             '<title>', xml(o.title), '</title>\n<desc>', xml(o.desc), '</desc>\n',
             '<rect width="', num(width), '" height="', num(height), '"', paint('fill', o.background), '/>\n',
             o.body, '</svg>\n');
    return out.join('');
  }

  /** A PNG of ``source`` (a canvas, at its own pixel size) on ``background`` (a picture is never
   * transparent), with ``over(ctx)`` drawing on top (what the page shows as HTML, e.g. labels);
   * ``done(blob)``. */
  function png(source, background, over, done) {
    var c = document.createElement('canvas');
    c.width = source.width; c.height = source.height;
    var ctx = c.getContext('2d');
    ctx.fillStyle = background;
    ctx.fillRect(0, 0, c.width, c.height);
    ctx.drawImage(source, 0, 0);
    if (over) over(ctx);
    c.toBlob(done, 'image/png');
  }

  /** Save ``blob`` as the file ``name`` (the browser's download). */
  function save(blob, name) {
    var url = URL.createObjectURL(blob), a = document.createElement('a');
    a.href = url; a.download = name; a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 30000);
  }

  /** The page's "PNG" and "SVG" buttons (#ckg-export-png, #ckg-export-svg): ``name()`` the
   * file name without extension, ``makePng(done)`` calls ``done(blob)``, ``makeSvg()`` returns
   * the SVG text; ``told(text)`` (optional) says what was saved. */
  function wire(name, makePng, makeSvg, told) {
    var group = document.getElementById('ckg-export');
    if (!group) return;
    function saved(file) {
      group.setAttribute('data-saved', file);
      if (told) told('Saved the picture as ' + file + '.');
    }
    document.getElementById('ckg-export-png').addEventListener('click', function () {
      var file = name() + '.png';
      makePng(function (blob) {
        if (!blob) { if (told) told('Could not make the PNG picture in this browser.'); return; }
        save(blob, file);
        saved(file);
      });
    });
    document.getElementById('ckg-export-svg').addEventListener('click', function () {
      var file = name() + '.svg';
      save(new Blob([makeSvg()], { type: 'image/svg+xml' }), file);
      saved(file);
    });
  }

  window.careerkgPicture = { xml: xml, num: num, slug: slug, colour: colour, paint: paint, svg: svg, png: png,
                             save: save, wire: wire };
})();
