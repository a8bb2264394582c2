/* serang-gis map runtime, part 1 of 8 (data): the namespace, small helpers, and the payload's columns.
 *
 * The runtime only draws what the payload says: the Python side (render/leaflet/spec.py, display.py)
 * has made every word, every number's text, every legend item and colour. The parts are concatenated,
 * in the order of render/leaflet/assets.py ATLAS_PARTS, into the one lib/atlas.js the pages load:
 * data, legend, tooltip, profile, layers, controls, print, main. Each part adds to window.SerangAtlas.
 * Every string from data is inserted as text (esc, textContent), never as markup. A property or method whose name ends
 * in "_" (fieldByKey_, syncLegend_) is the runtime's own: the build (hatch_build.py) shortens those names; the ones
 * the page, the tests and the payload read (map, P, layers, focus, realize, sgSpec ...) keep theirs.
 *
 * Draw order is fixed by panes whatever is toggled: polygons < kecamatan outlines < lokus outlines <
 * circles and points < labels. An invisible copy of the units lies under everything, so hover,
 * click and search work whichever layers are on. Polygon fills are exclusive (one question at a time: the periods
 * of one indicator, its change layers, another indicator or class on the same map); the title, subtitle and sources follow the chosen layer
 * when it carries them. */
(function (global) {
  "use strict";

  var PANES = [["sg-hit", 402], ["sg-poly", 410], ["sg-outline", 420], ["sg-lokus", 430], ["sg-point", 440], ["sg-label", 450]];
  var PANE_OF = {choropleth: "sg-poly", categorical: "sg-poly", outline: "sg-lokus", circles: "sg-point",
                 points: "sg-point", kecamatan: "sg-outline", labels: "sg-label"};
  var PHONE = "(max-width: 640px)";
  var CHUNK = 8;  // polygons added per task while the page loads
  var FILL_OPACITY = {choropleth: 0.8, categorical: 0.75};  // polygons' fill; legend swatches are painted the same way

  /* "#rrggbb" at ``opacity`` over the background colour ``bg`` ("rgb(r, g, b)"): the colour the eye sees. */
  function blend(color, opacity, bg) {
    var m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(String(color || "")), b = String(bg || "").match(/\d+(\.\d+)?/g);
    if (!m || !b || b.length < 3 || opacity === undefined || opacity === null) return color;
    var out = [1, 2, 3].map(function (k) {
      return Math.round(parseInt(m[k], 16) * opacity + (+b[k - 1]) * (1 - opacity));
    });
    return "rgb(" + out.join(", ") + ")";
  }

  /* Run fn as a new task, without setTimeout's 4 ms clamp on nested calls. */
  var nextTask = (function () {
    if (typeof MessageChannel === "undefined") return function (fn) { setTimeout(fn, 0); };
    var ch = new MessageChannel(), queue = [];
    ch.port1.onmessage = function () { queue.shift()(); };
    return function (fn) { queue.push(fn); ch.port2.postMessage(0); };
  })();

  function esc(s) {
    return String(s === null || s === undefined ? "" : s).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  /* Text with http(s) addresses as links, built as DOM nodes (never markup from data). */
  function linkify(parent, text) {
    var re = /https?:\/\/[^\s<>"')\]]+[^\s<>"')\].,;:]/g, last = 0, m;
    text = String(text === null || text === undefined ? "" : text);
    while ((m = re.exec(text)) !== null) {
      if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      var a = document.createElement("a");
      a.href = m[0]; a.textContent = m[0]; a.rel = "noopener noreferrer"; a.target = "_blank";
      parent.appendChild(a);
      last = m.index + m[0].length;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
    return parent;
  }

  function el(tag, cls, parent, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }

  /* Short forms of DOM calls the parts make often (the minified runtime is counted in the page's bytes). */
  function attr(node, name, value) { node.setAttribute(name, value); return node; }
  function rect(node) { return node.getBoundingClientRect(); }
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function mapList(list, fn) { return Array.prototype.map.call(list, fn); }
  function qs(node, selector) { return node.querySelector(selector); }
  function qsa(node, selector) { return node.querySelectorAll(selector); }
  function listen(node, type, fn) { node.addEventListener(type, fn); }

  /* An arc written as text (core/geometry.py, encode_arc): 5 bits a character, low bits first, 32 set while more
     follow; zigzag-encoded integers, x and y in turn, delta-encoded as TopoJSON's quantized arcs are. */
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", DIGIT = {};
  for (var d = 0; d < 64; d++) DIGIT[ALPHABET.charAt(d)] = d;
  function decodeInts(text) {
    var out = [], z = 0, shift = 0;
    for (var k = 0; k < text.length; k++) {
      var v = DIGIT[text.charAt(k)];
      z += (v & 31) * Math.pow(2, shift); shift += 5;
      if (!(v & 32)) { out.push(z % 2 ? -(z + 1) / 2 : z / 2); z = 0; shift = 0; }
    }
    return out;
  }
  function decodeArc(text) {
    var v = decodeInts(text), out = [];
    for (var k = 0; k + 1 < v.length; k += 2) out.push([v[k], v[k + 1]]);
    return out;
  }

  /* The geometries written as one text (packing.py, pack_topo): "|" between units, ";" between a MultiPolygon's
     polygons (a MultiPolygon's text ends with ";"), "," between rings; a ring's arc indices delta-encoded as decodeInts reads. */
  function decodeGeometries(text) {
    return text.split("|").map(function (u) {
      var ring = function (r) { var prev = 0; return decodeInts(r).map(function (d) { prev += d; return prev; }); };
      var poly = function (p) { return p.split(",").map(ring); };
      if (u.charAt(u.length - 1) !== ";") return {type: "Polygon", arcs: poly(u)};
      return {type: "MultiPolygon", arcs: u.slice(0, -1).split(";").map(poly)};
    });
  }

  /* The payload as written (render/leaflet/packing.py), unpacked in place: in the columns, {"=": key} repeats an earlier
     column, {"d": values, "i": text} gives each unit's value as one character of ALPHABET indexing d (a number for the
     text: that of the column at that position), {"p": prefix,
     "s": rests} texts that begin alike, {"e": k, "n": text} decimals as running sums of decodeInts over 10^k (plain lists stay);
     the geometries are one text (decodeGeometries), or a list where a geometry without a type is a Polygon, or a
     MultiPolygon when its arcs nest one level deeper. */
  function unpack(P) {
    var cols = P.cols;
    Object.keys(P.topo.objects).forEach(function (k) {
      var o = P.topo.objects[k];
      if (typeof o.geometries === "string") o.geometries = decodeGeometries(o.geometries);
      o.geometries.forEach(function (g) {
        if (!g.type) g.type = typeof g.arcs[0][0] === "number" ? "Polygon" : "MultiPolygon";
      });
    });
    var texts = [];  // each column's index text, by position ({"i": n}: the n-th column's)
    Object.keys(cols).forEach(function (k, n) {
      var c = cols[k];
      if (c && c.i !== undefined) {
        texts[n] = typeof c.i === "number" ? texts[c.i] : c.i;
        cols[k] = texts[n].split("").map(function (ch) { return c.d[DIGIT[ch]]; });
      } else if (c && c.p !== undefined) cols[k] = c.s.map(function (v) { return c.p + v; });
      else if (c && c.e !== undefined) {
        var sum = 0, div = Math.pow(10, c.e);
        cols[k] = decodeInts(c.n).map(function (d) { sum += d; return sum / div; });
      }
    });
    Object.keys(cols).forEach(function (k) { var c = cols[k]; if (c && c["="] !== undefined) cols[k] = cols[c["="]].slice(); });
    var heads = qsa(document, ".sg-sources:not(.sg-panel) li"), head = function (v) {  // {h: k}: the title box's k-th source (packing.py)
      if (!v || v.h === undefined) return v;
      var t = heads[v.h].textContent, k = t.indexOf(": ");
      return k < 0 ? t : t.slice(k + 2);
    };
    P.sources = P.sources.map(head);
    P.fields.forEach(function (f) { f.source = head(f.source); });
    P.layers.forEach(function (s) {  // a legend without its layer's name, note or implied items (packing.py, _pack_legend)
      var g = s.legend, c = s.cats || [];
      if (!g) return;
      if (g.title === undefined) g.title = s.name;
      if (g.note === undefined && s.note) g.note = s.note;
      if (g.items === null) delete g.items;
      else if (!g.items) {  // the items of packing.py's implied_items
        g.items = s.type === "categorical" ? c.concat(s.nodata || []).map(function (x, k) {
          return {kind: "fill", label: x.label, color: x.color, cls: k < c.length ? k : -1};
        }) : [s.type === "points" ? {kind: "circle", label: s.label, color: s.color, size: 12}
                                  : {kind: "line", label: s.label, color: s.color, dash: !!s.dash, weight: s.weight}];
      }
    });
  }

  /* One map: the Leaflet map and the payload (P). P.t holds the words the runtime shows itself. */
  function Atlas(map, P) {
    this.map = map; this.P = P; this.t = P.t;
    unpack(P);
    if (typeof P.topo.arcs[0] === "string") P.topo.arcs = P.topo.arcs.map(decodeArc);
    // each unit's GeoJSON geometry is made when first drawn: the first polygons wait for the first chunk's only
    this.features = P.topo.objects.u.geometries.map(function (g, i) {
      return {type: "Feature", properties: {i: i}, get geometry() { return this.geo_ || (this.geo_ = topojson.feature(P.topo, g).geometry); }};
    });
    this.n = this.features.length;
    this.fieldByKey_ = {};
    var self = this;
    P.fields.forEach(function (f) { self.fieldByKey_[f.key] = f; });
    this.overlays = {}; this.layers = []; this.legendBlocks = {};
    this.phone = global.matchMedia ? global.matchMedia(PHONE).matches : false;
  }

  Atlas.prototype.col = function (key, i) { var c = this.P.cols[key]; return c ? c[i] : null; };

  /* A value as read ("12,4 % (8,1-18,3 %)", "57 balita", "tidak ada data"): its text, made in Python. */
  Atlas.prototype.valueText = function (key, i) { return this.col(this.fieldByKey_[key].text_col, i); };

  Atlas.prototype.sourceText = function (key, i) {
    var f = this.fieldByKey_[key], out = [];
    if (!f) return "";
    var per = f.period_col ? this.col(f.period_col, i) : f.period;
    var src = f.source_col ? this.P.sources[this.col(f.source_col, i)] : f.source;
    if (per) out.push(per);
    if (src) out.push(src);
    return out.join(" · ");
  };

  /* Layers that cannot be read together are exclusive: the periods of one indicator (``group``), and any two
   * polygon fills (two semi-transparent fills blend into a colour no legend shows). */
  Atlas.prototype.exclusiveKey = function (s) {
    return s.type === "choropleth" || s.type === "categorical" ? "fill" : (s.group || null);
  };

  Atlas.prototype.visible = function (s) { var l = this.overlays[s.id]; return !!l && this.map.hasLayer(l); };

  global.SerangAtlas = {Atlas: Atlas, PANES: PANES, PANE_OF: PANE_OF, CHUNK: CHUNK, FILL_OPACITY: FILL_OPACITY, blend: blend, nextTask: nextTask, esc: esc, linkify: linkify, el: el,
                        attr: attr, rect: rect, each: each, mapList: mapList, qs: qs, qsa: qsa, listen: listen};
})(window);
