/* serang-gis map runtime, part 1 of 8 (data): the namespace, small helpers, and the payload's columns.
 *
 * The runtime only draws what the payload says: the Python side (render/leaflet/spec.py, display.py)
 * has made every word, every number's text, every legend item and colour. The parts are concatenated,
 * in the order of render/leaflet/assets.py ATLAS_PARTS, into the one lib/atlas.js the pages load:
 * data, legend, tooltip, profile, layers, controls, print, main. Each part adds to window.SerangAtlas.
 * Every string from data is inserted as text (esc, textContent), never as markup.
 *
 * Draw order is fixed by panes whatever is toggled: polygons < kecamatan outlines < lokus outlines <
 * circles and points < labels. An invisible copy of the units lies under everything, so hover,
 * click and search work whichever layers are on. Layers sharing `group` (the periods of one
 * indicator, its change layers) are exclusive; the title, subtitle and sources follow the chosen layer
 * when it carries them. */
(function (global) {
  "use strict";

  var PANES = [["sg-hit", 402], ["sg-poly", 410], ["sg-outline", 420], ["sg-lokus", 430], ["sg-point", 440], ["sg-label", 450]];
  var PANE_OF = {choropleth: "sg-poly", categorical: "sg-poly", outline: "sg-lokus", circles: "sg-point",
                 points: "sg-point", kecamatan: "sg-outline", labels: "sg-label"};
  var PHONE = "(max-width: 640px)";
  var CHUNK = 8;  // polygons added per task while the page loads

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

  /* One map: the Leaflet map and the payload (P). P.t holds the words the runtime shows itself. */
  function Atlas(map, P) {
    this.map = map; this.P = P; this.t = P.t;
    this.features = topojson.feature(P.topo, P.topo.objects.u).features;
    this.features.forEach(function (f, i) { f.properties = {i: i}; });
    this.n = this.features.length;
    this.fieldByKey = {};
    var self = this;
    P.fields.forEach(function (f) { self.fieldByKey[f.key] = f; });
    this.overlays = {}; this.layers = []; this.legendBlocks = {};
    this.phone = global.matchMedia ? global.matchMedia(PHONE).matches : false;
  }

  Atlas.prototype.col = function (key, i) { var c = this.P.cols[key]; return c ? c[i] : null; };

  /* A value as read ("12,4 % (8,1-18,3 %)", "57 balita", "tidak ada data"): its text, made in Python. */
  Atlas.prototype.valueText = function (key, i) { return this.col(this.fieldByKey[key].text_col, i); };

  Atlas.prototype.sourceText = function (key, i) {
    var f = this.fieldByKey[key], out = [];
    if (!f) return "";
    var per = f.period_col ? this.col(f.period_col, i) : f.period;
    var src = f.source_col ? this.P.sources[this.col(f.source_col, i)] : f.source;
    if (per) out.push(per);
    if (src) out.push(src);
    return out.join(" · ");
  };

  Atlas.prototype.visible = function (s) { var l = this.overlays[s.id]; return !!l && this.map.hasLayer(l); };

  global.SerangAtlas = {Atlas: Atlas, PANES: PANES, PANE_OF: PANE_OF, CHUNK: CHUNK, nextTask: nextTask, esc: esc, linkify: linkify, el: el};
})(window);

/* serang-gis map runtime, part 2 (legend): one block per layer, as the payload gives it (title, items in
 * order, note), shown while its layer is on, in the order of the layers. */
(function (A) {
  "use strict";
  var el = A.el, proto = A.Atlas.prototype;

  /* The legend block of a layer: ``L`` = {title, items: [{kind: fill | hatch | line | circle, label, color, cls, dash, size}], note}. */
  proto.legend = function (id, L) {
    if (!L) return;
    var block = el("div", "sg-legend-block");
    block.setAttribute("data-layer", id);
    el("div", "sg-legend-title", block, L.title);
    L.items.forEach(function (it) {
      var row = el("div", "sg-legend-item", block), sw = el("span", "sg-sw", row);
      row.setAttribute("data-class", it.cls === undefined || it.cls === null ? "" : it.cls);
      if (it.kind === "line") {
        sw.className = "sg-sw sg-line"; sw.style.borderTop = "3px " + (it.dash ? "dashed " : "solid ") + it.color;
      } else if (it.kind === "circle") {
        sw.className = "sg-sw sg-circle"; sw.style.width = it.size + "px"; sw.style.height = it.size + "px"; sw.style.background = it.color;
      } else if (it.kind === "hatch") {
        sw.className = "sg-sw sg-hatch-sw";
      } else {
        sw.style.background = it.color;
      }
      row.appendChild(document.createTextNode(it.label));
    });
    if (L.note) el("div", "sg-legend-note", block, L.note);
    this.legendBlocks[id] = block;
  };

  proto.syncLegend = function () {
    var self = this, any = false;
    this.layers.forEach(function (layer) {
      var block = self.legendBlocks[layer.sgSpec.id];
      if (!block) return;
      var on = self.map.hasLayer(layer);
      block.style.display = on ? "" : "none";
      any = any || on;
    });
    if (this.legendDiv) this.legendDiv.style.display = any ? "" : "none";
  };

  /* A layer's legend block goes into the legend in the order of the layers. */
  proto.attachLegend = function (id) {
    var block = this.legendBlocks[id], body = this.legendBody;
    if (!block || !body || block.parentNode === body) return;
    var after = null, seen = false, self = this;
    this.layers.forEach(function (l) {
      var b = self.legendBlocks[l.sgSpec.id];
      if (l.sgSpec.id === id) seen = true;
      else if (seen && !after && b && b.parentNode === body) after = b;
    });
    body.insertBefore(block, after);
  };

  proto.legendControl = function () {
    var self = this, map = this.map;
    var ctl = L.control({position: "bottomright"});
    ctl.onAdd = function () {
      var div = L.DomUtil.create("div", "sg-legend");
      var btn = el("button", "sg-legend-toggle", div, self.t.legend);
      btn.type = "button";
      var body = el("div", "sg-legend-body", div);
      body.id = "sg-legend-body";
      btn.setAttribute("aria-controls", body.id);
      var open = function (on) {
        btn.setAttribute("aria-expanded", on ? "true" : "false");
        div.classList.toggle("sg-collapsed", !on);
      };
      open(!self.phone);
      btn.addEventListener("click", function () { open(btn.getAttribute("aria-expanded") !== "true"); });
      self.legendBody = body;
      self.layers.forEach(function (layer) { self.attachLegend(layer.sgSpec.id); });
      L.DomEvent.disableClickPropagation(div); L.DomEvent.disableScrollPropagation(div);
      self.legendDiv = div; self.openLegend = open;
      return div;
    };
    ctl.addTo(map);
    this.syncLegend();
  };
})(window.SerangAtlas);

/* serang-gis map runtime, part 3 (tooltip): the unit under the pointer, and the fields the shown layers say. */
(function (A) {
  "use strict";
  var esc = A.esc, proto = A.Atlas.prototype;

  /* The fields a tooltip shows: the hovered layer's, the shown period of each group, then the others
   * (P.tooltip: the payload leaves out a field of a period and the group's own latest-value column). */
  proto.tooltipKeys = function (spec) {
    var self = this, keys = [];
    var add = function (k) { if (k && self.fieldByKey[k] && keys.indexOf(k) < 0) keys.push(k); };
    if (spec && spec.field) add(spec.field);
    this.P.layers.forEach(function (s) { if (s.group && self.visible(s)) add(s.field); });
    this.P.tooltip.forEach(add);
    return keys;
  };

  /* Rows of label and text; a value carries the caveat the plan put on it (too few measured, partial sum),
   * and a line under it where the payload has one ("4 dari 6 kelurahan melapor"). */
  proto.tooltip = function (i, spec) {
    var self = this, rows = [[this.t.unit_name, this.col("nama", i)]];
    if (this.P.cols.kec) rows.push([this.t.kecamatan, this.col("kec", i)]);
    this.tooltipKeys(spec).forEach(function (k) {
      var f = self.fieldByKey[k], extra = f.extra_col ? self.col(f.extra_col, i) : null;
      rows.push([f.label, self.col(f.tip_col || f.text_col, i)]);
      if (extra) rows.push(["", extra]);
    });
    return "<table class='sg-tip'>" + rows.map(function (r) {
      return "<tr><th>" + esc(r[0]) + "</th><td>" + esc(r[1]) + "</td></tr>";
    }).join("") + "</table>";
  };
})(window.SerangAtlas);

/* serang-gis map runtime, part 4 (profile): a unit's every field with its source and period, in a popup. */
(function (A) {
  "use strict";
  var el = A.el, linkify = A.linkify, proto = A.Atlas.prototype;

  proto.profile = function (i) {
    var self = this, div = el("div", "sg-profile");
    div.setAttribute("tabindex", "0");  // scrollable by keyboard
    el("h2", "sg-profile-name", div, this.col("nama", i));
    var sub = [this.col("kode", i)];
    if (this.P.cols.kec) sub.push(this.t.kecamatan + " " + this.col("kec", i));
    el("div", "sg-sub", div, sub.join(" · "));
    var table = el("table", "", div);
    this.P.profile.forEach(function (k) {
      var f = self.fieldByKey[k];
      if (!f) return;
      var tr = el("tr", "", table), td;
      if (f.kind === "list") {  // its heading (with the count), then one item per line of the text, each inserted as text
        var v = self.col(k, i), items = String(v === null || v === undefined ? "" : v).split("\n").filter(function (x) { return x; });
        el("th", "", tr, self.valueText(k, i)).setAttribute("colspan", "2");
        var ul = el("ul", "sg-list", el("td", "", el("tr", "", table)));
        ul.parentNode.setAttribute("colspan", "2");
        items.forEach(function (x) { el("li", "", ul, x); });
        return;
      }
      el("th", "", tr, f.label).setAttribute("scope", "row");
      td = el("td", "", tr, self.valueText(k, i));
      var src = self.sourceText(k, i);
      if (src) linkify(el("div", "sg-src", td), src);
    });
    return div;
  };

  proto.bindProfile = function (l, i) {
    var self = this;
    l.bindPopup(function () { return self.profile(i); },
                {maxWidth: this.popupWidth(), minWidth: Math.min(240, this.popupWidth()), autoPan: false, className: "sg-popup"});
  };

  proto.popupWidth = function () {
    return Math.max(200, Math.min(360, this.map.getSize().x - 60));
  };

  proto.focus = function (i) {
    var self = this, shape = L.geoJSON(this.features[i]);
    var opts = this.fitOptions();
    opts.maxZoom = 15; opts.animate = false;
    this.map.fitBounds(shape.getBounds(), opts);
    L.popup({maxWidth: this.popupWidth(), minWidth: Math.min(240, this.popupWidth()), autoPan: false, className: "sg-popup"})
      .setLatLng([this.col("_lat", i), this.col("_lon", i)]).setContent(function () { return self.profile(i); }).openOn(this.map);
  };
})(window.SerangAtlas);

/* serang-gis map runtime, part 5 (layers): the shapes of each layer, painted as the payload says (a colour,
 * a hatch, an outline, a radius per unit), each with its legend block. */
(function (A) {
  "use strict";
  var esc = A.esc, PANE_OF = A.PANE_OF, CHUNK = A.CHUNK, proto = A.Atlas.prototype;

  proto.polygons = function (spec, styleOf, interactive, pane, keep, cls) {
    var self = this, features = keep ? this.features.filter(keep) : this.features;
    var layer = L.geoJSON(null, {
      className: (cls || "sg-poly") + " sg-layer-" + spec.id,
      interactive: interactive !== false,
      pane: pane || PANE_OF[spec.type],
      style: function (feat) { return styleOf(feat.properties.i); },
      onEachFeature: function (feat, l) {
        var i = feat.properties.i;
        l.sgIndex = i;
        if (interactive === false) return;
        l.bindTooltip(function () { return self.tooltip(i, spec.field ? spec : null); }, {sticky: true});
        self.bindProfile(l, i);
        l.on("mouseover", function () { l.setStyle({weight: 3}); });
        l.on("mouseout", function () { layer.resetStyle(l); });
      }
    });
    this.addFeatures(layer, features);
    return layer;
  };

  /* While the page loads, work runs as its own task after the current one; later, at once. */
  proto.later = function (fn) { if (this.loading) this.pending.push(fn); else fn.call(this); };

  /* While the page loads, shapes are added a few at a time, one task each (short tasks: the page answers). */
  proto.addFeatures = function (layer, features) {
    if (!this.loading) { layer.addData({type: "FeatureCollection", features: features}); return; }
    for (var k = 0; k < features.length; k += CHUNK) {
      (function (part) {
        this.pending.push(function () { layer.addData({type: "FeatureCollection", features: part}); });
      }).call(this, features.slice(k, k + CHUNK));
    }
  };

  proto.hatchDefs = function () {
    if (document.getElementById("sg-hatch")) return;
    var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "0"); svg.setAttribute("height", "0"); svg.setAttribute("aria-hidden", "true");
    svg.style.position = "absolute";
    var defs = document.createElementNS(ns, "defs"), pat = document.createElementNS(ns, "pattern"), line = document.createElementNS(ns, "line");
    pat.setAttribute("id", "sg-hatch"); pat.setAttribute("patternUnits", "userSpaceOnUse");
    pat.setAttribute("width", "6"); pat.setAttribute("height", "6"); pat.setAttribute("patternTransform", "rotate(45)");
    line.setAttribute("x1", "0"); line.setAttribute("y1", "0"); line.setAttribute("x2", "0"); line.setAttribute("y2", "6");
    line.setAttribute("stroke", "#000"); line.setAttribute("stroke-width", "1.3"); line.setAttribute("stroke-opacity", "0.75");
    pat.appendChild(line); defs.appendChild(pat); svg.appendChild(defs); document.body.appendChild(svg);
  };

  /* A classed layer (choropleth, categorical): each unit's colour, then a hatch over the units whose figure
   * needs caution (few measured, partial sum). */
  proto.addClassed = function (s) {
    var self = this;
    var layer = this.polygons(s, function (i) {
      return {fillColor: self.col(s.color_col, i), fillOpacity: s.type === "choropleth" ? 0.8 : 0.75, color: "#555", weight: 0.8};
    });
    this.legend(s.id, s.legend);
    if (!s.hatch_col) return layer;
    var hatched = function (f) { return !!self.col(s.hatch_col, f.properties.i); };
    this.hatchDefs();
    var over = this.polygons({id: "hatch-" + s.id, type: s.type}, function () {
      return {fillColor: "url(#sg-hatch)", fillOpacity: 1, color: "#000", weight: 1.2, dashArray: "3 3"};
    }, false, null, hatched, "sg-hatch");
    return L.featureGroup([layer, over]);
  };

  proto.addOutline = function (s) {
    var self = this;
    var layer = this.polygons(s, function (i) {
      var on = !!self.col(s.field, i);
      return {fill: false, stroke: on, color: s.color, weight: on ? 3.5 : 0, opacity: 1, dashArray: s.dash ? "7 5" : null};
    }, false, null, function (f) { return !!self.col(s.field, f.properties.i); });  // only the units on the list
    this.legend(s.id, s.legend);
    return layer;
  };

  /* Proportional circles: the radius of each unit's circle comes in the payload (none: no circle). */
  proto.addCircles = function (s) {
    var self = this, group = L.featureGroup([]);
    var one = function (i) {
      var r = self.col(s.radius_col, i);
      if (!r) return;
      var m = L.circleMarker([self.col("_lat", i), self.col("_lon", i)], {pane: PANE_OF.circles,
        radius: r, color: s.stroke, weight: 1, fillColor: s.color, fillOpacity: 0.7, className: "sg-circle sg-circle-" + s.id});
      m.bindTooltip(function () { return self.tooltip(i, s); });
      self.bindProfile(m, i);
      group.addLayer(m);
    };
    for (var k = 0; k < this.n; k += 2 * CHUNK) {
      (function (k0) { self.later(function () { for (var i = k0; i < Math.min(k0 + 2 * CHUNK, self.n); i++) one(i); }); })(k);
    }
    this.legend(s.id, s.legend);
    return group;
  };

  proto.addKecamatan = function (s) {
    var byKec = {}, geoms = this.P.topo.objects.u.geometries, self = this;
    geoms.forEach(function (g, i) { var k = self.col("kec", i); (byKec[k] = byKec[k] || []).push(g); });
    var group = L.featureGroup([]);
    Object.keys(byKec).forEach(function (k) {
      self.later(function () {
        L.geoJSON(topojson.merge(self.P.topo, byKec[k]), {interactive: false, className: "sg-kec-outline", pane: PANE_OF.kecamatan,
          style: {fill: false, color: s.color, weight: 2, opacity: 0.85}}).addTo(group);
      });
    });
    (s.labels || []).forEach(function (lb) {
      L.marker([lb.lat, lb.lon], {interactive: false, keyboard: false, pane: PANE_OF.labels,
        icon: L.divIcon({className: "sg-kec-label", html: esc(lb.name), iconSize: [140, 18], iconAnchor: [70, 9]})}).addTo(group);
    });
    this.legend(s.id, s.legend);
    return group;
  };

  proto.addLabels = function (s) {
    var group = L.featureGroup([]);
    for (var i = 0; i < this.n; i++) {
      L.marker([this.col("_lat", i), this.col("_lon", i)], {interactive: false, keyboard: false, pane: PANE_OF.labels,
        icon: L.divIcon({className: "sg-kec-label", html: esc(this.col("nama", i)), iconSize: [140, 18], iconAnchor: [70, -6]})}).addTo(group);
    }
    return group;
  };

  proto.addPoints = function (s) {
    var group = L.featureGroup([]);
    s.points.forEach(function (pt) {
      L.circleMarker([pt.lat, pt.lon], {radius: 6, color: "#fff", weight: 2, fillColor: s.color, fillOpacity: 1, className: "sg-point",
        pane: PANE_OF.points}).bindTooltip(esc(pt.name)).addTo(group);
    });
    this.legend(s.id, s.legend);
    return group;
  };

  /* The units once more, invisible, under every layer: they answer hover, click and search. */
  proto.addHit = function () {
    var self = this;
    this.hit = L.geoJSON(null, {
      pane: "sg-hit", className: "sg-hit", style: {stroke: false, fill: true, fillColor: "#000", fillOpacity: 0},
      onEachFeature: function (feat, l) {
        var i = feat.properties.i;
        l.sgIndex = i;
        l.bindTooltip(function () { return self.tooltip(i, null); }, {sticky: true});
        self.bindProfile(l, i);
      }
    });
    this.hit.addData({type: "FeatureCollection", features: this.features});
  };

  var ADDERS = {choropleth: "addClassed", categorical: "addClassed", outline: "addOutline",
                circles: "addCircles", kecamatan: "addKecamatan", points: "addPoints", labels: "addLabels"};

  /* Draw a layer's shapes and legend the first time they are needed. */
  proto.realize = function (wrap) {
    if (wrap.sgBuilt) return;
    wrap.sgBuilt = true;
    var inner = this[ADDERS[wrap.sgSpec.type]](wrap.sgSpec);
    wrap.addLayer(inner);
    var t = wrap.sgSpec.type;  // the first polygon layer drawn (its shapes carry sgIndex): for tests and the console
    if (!this.primary && (t === "choropleth" || t === "categorical")) this.primary = inner;
    this.attachLegend(wrap.sgSpec.id);
    this.syncLegend();
  };

  /* The invisible units lie on the map only while no polygon layer answers hover and click. */
  proto.syncHit = function () {
    var self = this;
    var answered = this.layers.some(function (l) {
      return (l.sgSpec.type === "choropleth" || l.sgSpec.type === "categorical") && self.map.hasLayer(l);
    });
    if (!answered && !this.hit) this.addHit();
    if (this.hit) {
      if (answered && this.map.hasLayer(this.hit)) this.map.removeLayer(this.hit);
      if (!answered && !this.map.hasLayer(this.hit)) this.hit.addTo(this.map);
    }
  };
})(window.SerangAtlas);

/* serang-gis map runtime, part 6 (controls): the layer list (a group's layers exclusive), the title box that
 * follows the chosen layer, the layout around it, search, and the buttons. */
(function (A) {
  "use strict";
  var el = A.el, linkify = A.linkify, proto = A.Atlas.prototype;

  /* A layer of a group was ticked: the group's other layers go off (map and boxes), the title follows. */
  proto.onShown = function (layer) {
    var self = this, s = layer.sgSpec;
    if (!s || !s.group) return;
    this.layers.forEach(function (other) {
      if (other === layer || !other.sgSpec.group || other.sgSpec.group !== s.group) return;
      if (self.map.hasLayer(other)) self.map.removeLayer(other);
    });
    this.syncInputs();
    this.followTitle(s);
  };

  /* The boxes of the layer list show what is on the map. */
  proto.syncInputs = function () {
    var self = this, byStamp = {};
    this.layers.forEach(function (l) { byStamp[L.Util.stamp(l)] = l; });
    var inputs = this.layerControl.getContainer().querySelectorAll("input.leaflet-control-layers-selector");
    Array.prototype.forEach.call(inputs, function (input) {
      var layer = byStamp[input.layerId];
      if (layer) input.checked = self.map.hasLayer(layer);
    });
  };

  /* Ticking a layer of a group unticks the group's others before Leaflet reads the boxes (capture phase). */
  proto.exclusiveBoxes = function () {
    var self = this, byStamp = {}, container = this.layerControl.getContainer();
    this.layers.forEach(function (l) { byStamp[L.Util.stamp(l)] = l; });
    container.addEventListener("click", function (ev) {
      var input = ev.target, layer = byStamp[input && input.layerId];
      if (!layer || !input.checked || !layer.sgSpec.group) return;
      Array.prototype.forEach.call(container.querySelectorAll("input.leaflet-control-layers-selector"), function (other) {
        var o = byStamp[other.layerId];
        if (o && o !== layer && o.sgSpec.group === layer.sgSpec.group) other.checked = false;
      });
    }, true);
  };

  proto.followTitle = function (s) {
    var box = this.title;
    if (!box) return;
    if (!this.titleDefault) this.titleDefault = {title: box.main ? box.main.textContent : "", subtitle: box.sub ? box.sub.textContent : "",
                                                 sources: this.P.page_sources || null};
    var d = this.titleDefault;
    var title = s.title || d.title, subtitle = s.subtitle !== undefined && s.subtitle !== null ? s.subtitle : d.subtitle;
    if (box.main) box.main.textContent = title;
    if (box.sub) this.setText(box.sub, subtitle);
    if (s.sources && box.list) {
      if (!d.sources) d.sources = Array.prototype.map.call(box.list.children, function (li) { return li.textContent; });
      this.fillSources(s.sources);
    } else if (d.sources && box.list) {
      this.fillSources(d.sources);
    }
    if (s.title) document.title = s.title;
    this.layout();
  };

  proto.fillSources = function (sources) {
    var list = this.title.list;
    while (list.firstChild) list.removeChild(list.firstChild);
    sources.forEach(function (s) { linkify(el("li", "", list), s); });
  };

  /* The title box (rendered in the page) comes first in the document: before search and the map. */
  proto.titleBox = function () {
    var box = document.querySelector(".sg-title");
    if (!box) { this.title = null; return; }
    var container = this.map.getContainer();
    if (box.compareDocumentPosition(container) & Node.DOCUMENT_POSITION_PRECEDING) container.parentNode.insertBefore(box, container);
    this.title = {el: box, main: box.querySelector(".sg-title-main"), sub: box.querySelector(".sg-title-sub"),
                  list: box.querySelector(".sg-sources ul")};
    if (this.title.list) {  // sources: addresses become links
      Array.prototype.forEach.call(this.title.list.children, function (li) {
        var text = li.textContent;
        if (!/https?:\/\//.test(text)) return;
        li.textContent = "";
        linkify(li, text);
      });
    }
    if (this.title.sub && /https?:\/\//.test(this.title.sub.textContent)) this.setText(this.title.sub, this.title.sub.textContent);
  };

  proto.setText = function (node, text) {
    while (node.firstChild) node.removeChild(node.firstChild);
    linkify(node, text);
  };

  proto.topInset = function () {
    var mapBox = this.map.getContainer().getBoundingClientRect();
    if (!this.title || !this.title.el.offsetParent) return 0;
    var r = this.title.el.getBoundingClientRect();
    return Math.max(0, r.bottom - mapBox.top);
  };

  proto.fitOptions = function () {
    var top = this.topInset();
    return {paddingTopLeft: [10, top + 10], paddingBottomRight: [10, 10]};
  };

  /* Controls at the top go below the title when they would meet it; the profile's height follows the screen. */
  proto.layout = function () {
    var container = this.map.getContainer(), top = this.topInset();
    var corners = container.querySelectorAll(".leaflet-top");
    Array.prototype.forEach.call(corners, function (c) { c.style.top = ""; });
    if (this.title) {
      var t = this.title.el.getBoundingClientRect(), clash = false;
      Array.prototype.forEach.call(container.querySelectorAll(".leaflet-top .leaflet-control"), function (c) {
        var r = c.getBoundingClientRect();
        if (r.left < t.right && r.right > t.left && r.top < t.bottom && r.bottom > t.top) clash = true;
      });
      if (this.search) {
        var s = this.search.getBoundingClientRect();
        if (s.left < t.right && s.right > t.left && s.top < t.bottom && s.bottom > t.top) clash = true;
      }
      if (clash || this.phone) {
        Array.prototype.forEach.call(corners, function (c) { c.style.top = top + "px"; });
      }
    }
    if (this.search) {
      var zoom = container.querySelector(".leaflet-control-zoom"), cb = container.getBoundingClientRect();
      var z = zoom ? zoom.getBoundingClientRect() : {top: cb.top + 10, right: cb.left + 10};
      this.search.style.top = (z.top - cb.top) + "px";
      this.search.style.left = (z.right - cb.left + 8) + "px";
    }
    var h = this.map.getSize().y;
    container.style.setProperty("--sg-profile-h", Math.max(160, Math.min(h * (this.phone ? 0.55 : 0.7), h - top - 70)) + "px");
  };

  /* Our own auto-pan: the popup and the unit it belongs to stay between the title and the map's edges. */
  proto.keepPopupInView = function (popup) {
    var map = this.map, box = map.getContainer().getBoundingClientRect(), node = popup.getElement();
    if (!node) return;
    var r = node.getBoundingClientRect(), top = this.topInset() + 8, dx = 0, dy = 0;
    if (r.top - box.top < top) dy = r.top - box.top - top;
    else if (r.bottom > box.bottom - 8) dy = Math.min(r.bottom - box.bottom + 8, r.top - box.top - top);
    if (r.left - box.left < 8) dx = r.left - box.left - 8;
    else if (r.right > box.right - 8) dx = r.right - box.right + 8;
    if (dx || dy) map.panBy([dx, dy], {animate: false});
  };

  /* Search: a combobox before the map in the document (first tab stop after the title). Every word
   * typed must match the name, the kecamatan or the code: "sukawana curug". */
  proto.searchControl = function () {
    var self = this, container = this.map.getContainer();
    var div = el("div", "sg-search leaflet-bar");
    div.setAttribute("role", "search");
    var input = el("input", "", div);
    var list = el("ul", "sg-search-results", div);
    list.id = "sg-search-results"; list.setAttribute("role", "listbox"); list.setAttribute("aria-label", this.t.results);
    input.type = "search"; input.placeholder = this.t.search; input.setAttribute("aria-label", this.t.search);
    input.setAttribute("role", "combobox"); input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id); input.setAttribute("aria-expanded", "false"); input.autocomplete = "off";
    container.parentNode.insertBefore(div, container);
    L.DomEvent.disableClickPropagation(div); L.DomEvent.disableScrollPropagation(div);
    var hay = [];
    for (var i = 0; i < this.n; i++) {
      var code = String(this.col("kode", i));
      hay.push([String(this.col("nama", i)), this.P.cols.kec ? String(this.col("kec", i)) : "", code, code.replace(/\./g, "")]
        .join(" ").toLowerCase());
    }
    var active = -1;
    var hits = function () { return list.querySelectorAll(".sg-search-hit"); };
    var setActive = function (k) {
      var h = hits();
      Array.prototype.forEach.call(h, function (li, j) { li.setAttribute("aria-selected", j === k ? "true" : "false"); });
      active = k;
      if (k >= 0 && h[k]) { input.setAttribute("aria-activedescendant", h[k].id); h[k].scrollIntoView({block: "nearest"}); }
      else input.removeAttribute("aria-activedescendant");
    };
    var choose = function (li) {
      var i = +li.getAttribute("data-index");
      list.textContent = ""; input.setAttribute("aria-expanded", "false"); setActive(-1);
      self.focus(i);
    };
    input.addEventListener("input", function () {
      var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      list.textContent = ""; active = -1; input.removeAttribute("aria-activedescendant");
      if (!words.length || input.value.trim().length < 2) { input.setAttribute("aria-expanded", "false"); return; }
      for (var i = 0; i < self.n; i++) {
        var h = hay[i];
        if (!words.every(function (w) { return h.indexOf(w) >= 0; })) continue;
        var li = el("li", "sg-search-hit", list);
        li.textContent = self.col("nama", i) + (self.P.cols.kec ? " (" + self.t.kecamatan + " " + self.col("kec", i) + ")" : "") + " · " + self.col("kode", i);
        li.setAttribute("data-index", i); li.setAttribute("role", "option"); li.id = "sg-hit-" + i;
        li.setAttribute("aria-selected", "false");
        li.addEventListener("click", function (ev) { choose(ev.currentTarget); });
      }
      if (!list.children.length) { var none = el("li", "sg-search-none", list, self.t.not_found); none.setAttribute("role", "option"); }
      input.setAttribute("aria-expanded", "true");
    });
    input.addEventListener("keydown", function (ev) {
      var h = hits();
      if (ev.key === "ArrowDown" && h.length) { ev.preventDefault(); setActive((active + 1) % h.length); }
      else if (ev.key === "ArrowUp" && h.length) { ev.preventDefault(); setActive(active <= 0 ? h.length - 1 : active - 1); }
      else if (ev.key === "Enter" && h.length) { ev.preventDefault(); choose(h[active >= 0 ? active : 0]); }
      else if (ev.key === "Escape") { list.textContent = ""; input.setAttribute("aria-expanded", "false"); setActive(-1); }
    });
    this.search = div;
  };

  proto.focus = function (i) {
    var self = this, shape = L.geoJSON(this.features[i]);
    var opts = this.fitOptions();
    opts.maxZoom = 15; opts.animate = false;
    this.map.fitBounds(shape.getBounds(), opts);
    L.popup({maxWidth: this.popupWidth(), minWidth: Math.min(240, this.popupWidth()), autoPan: false, className: "sg-popup"})
      .setLatLng([this.col("_lat", i), this.col("_lon", i)]).setContent(function () { return self.profile(i); }).openOn(this.map);
  };

  proto.button = function (cls, label, svg, onClick) {
    var ctl = L.control({position: "topleft"});
    ctl.onAdd = function () {
      var div = L.DomUtil.create("div", "leaflet-bar " + cls);
      var a = L.DomUtil.create("a", "", div);
      a.href = "#"; a.title = label; a.setAttribute("role", "button"); a.setAttribute("aria-label", label);
      a.innerHTML = svg;  // a constant icon, no data
      L.DomEvent.on(a, "click", function (ev) { L.DomEvent.preventDefault(ev); L.DomEvent.stopPropagation(ev); onClick(); });
      return div;
    };
    ctl.addTo(this.map);
    return ctl;
  };

  /* Leaflet's zoom buttons say what they do in the page's language. */
  proto.zoomLabels = function () {
    var container = this.map.getContainer(), t = this.t;
    [["leaflet-control-zoom-in", t.zoom_in], ["leaflet-control-zoom-out", t.zoom_out]].forEach(function (b) {
      var a = container.querySelector("." + b[0]);
      if (a) { a.title = b[1]; a.setAttribute("aria-label", b[1]); }
    });
  };

  proto.fullscreenControl = function () {
    var self = this;
    this.button("sg-fullscreen", this.t.fullscreen, "<svg width='16' height='16' viewBox='0 0 16 16' aria-hidden='true'>" +
      "<path d='M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5' fill='none' stroke='#222' stroke-width='2'/></svg>", function () {
      var root = document.documentElement;
      if (document.fullscreenElement) document.exitFullscreen(); else if (root.requestFullscreen) root.requestFullscreen();
    });
    document.addEventListener("fullscreenchange", function () { self.map.invalidateSize(); self.layout(); });
  };
})(window.SerangAtlas);

/* serang-gis map runtime, part 7 (print): the print button, and a page fitted for paper while printing. */
(function (A, global) {
  "use strict";
  var proto = A.Atlas.prototype;

  proto.printControl = function () {
    var self = this;
    this.button("sg-print", this.t.print, "<svg width='16' height='16' viewBox='0 0 16 16' aria-hidden='true'>" +
      "<path d='M4 6V1h8v5M4 12H1V6h14v6h-3M4 9h8v6H4z' fill='none' stroke='#222' stroke-width='1.6'/></svg>", function () {
      self.preparePrint(true); global.print();
    });
  };

  /* Printing: controls hidden (CSS), legend and sources open, the whole kab/kota fitted to the page. */
  proto.preparePrint = function (on) {
    var map = this.map, c = map.getContainer();
    if (on) {
      if (this.printing) return;
      this.printing = {center: map.getCenter(), zoom: map.getZoom(), legend: this.legendDiv && !this.legendDiv.classList.contains("sg-collapsed"),
                       details: this.title ? Array.prototype.map.call(this.title.el.querySelectorAll("details"), function (d) { return d.open; }) : []};
      document.documentElement.classList.add("sg-printing");
      if (this.openLegend) this.openLegend(true);
      if (this.title) Array.prototype.forEach.call(this.title.el.querySelectorAll("details"), function (d) { d.open = true; });
      map.closePopup();
      map.invalidateSize({animate: false});
      if (this.bounds && this.bounds.isValid()) {
        var opts = this.fitOptions();
        opts.paddingBottomRight = [(this.legendDiv ? this.legendDiv.offsetWidth : 0) + 16, 10]; opts.animate = false;
        map.fitBounds(this.bounds, opts);
      }
    } else if (this.printing) {
      var was = this.printing;
      this.printing = null;
      document.documentElement.classList.remove("sg-printing");
      if (this.openLegend) this.openLegend(was.legend);
      if (this.title) Array.prototype.forEach.call(this.title.el.querySelectorAll("details"), function (d, k) { d.open = !!was.details[k]; });
      map.invalidateSize({animate: false});
      map.setView(was.center, was.zoom, {animate: false});
      this.layout();
    }
    void c;
  };

  proto.printSetup = function () {
    var self = this;
    global.addEventListener("beforeprint", function () { self.preparePrint(true); });
    global.addEventListener("afterprint", function () { self.preparePrint(false); });
    if (global.matchMedia) {
      var mq = global.matchMedia("print");
      var on = function (e) { self.preparePrint(e.matches); };
      if (mq.addEventListener) mq.addEventListener("change", on); else if (mq.addListener) mq.addListener(on);
    }
  };
})(window.SerangAtlas, window);

/* serang-gis map runtime, part 8 (main): build a map from its payload, one task at a time while the page loads. */
(function (A, global) {
  "use strict";
  var esc = A.esc, PANES = A.PANES, nextTask = A.nextTask, proto = A.Atlas.prototype;

  proto.build = function () {
    var self = this, map = this.map, P = this.P;
    PANES.forEach(function (p) {
      var pane = map.createPane(p[0]);
      pane.style.zIndex = p[1]; pane.style.pointerEvents = "none";
    });
    var bases = {}, first = null;
    P.basemaps.forEach(function (b) {
      var layer = b.url ? L.tileLayer(b.url, {attribution: b.attribution, maxZoom: 19, subdomains: b.subdomains || "abc"}) : L.layerGroup();
      bases[esc(b.name)] = layer;  // Leaflet's layer list writes names as markup: escaped here
      if (b.default) first = layer;
    });
    (first || bases[Object.keys(bases)[0]]).addTo(map);
    var shownGroups = {}, named = {};
    P.layers.forEach(function (s) {
      var wrap = L.featureGroup([]);  // filled when first shown (or after the shown ones are drawn)
      wrap.sgSpec = s;
      wrap.on("add", function () { self.realize(wrap); });
      self.overlays[s.id] = wrap; self.layers.push(wrap);
      var name = esc(s.name);  // Leaflet's layer list writes names as markup: escaped here
      while (named[name]) name += " ";  // two layers of one name stay two entries
      named[name] = wrap;
      wrap.sgShow = s.show && !(s.group && shownGroups[s.group]);
      if (wrap.sgShow && s.group) shownGroups[s.group] = s;
    });
    this.loading = true; this.pending = [];
    this.later(function () {
      map.attributionControl.addAttribution(esc(P.attribution));
      this.layerControl = L.control.layers(bases, named, {collapsed: this.phone, position: "topright"}).addTo(map);
      var toggle = this.layerControl.getContainer().querySelector(".leaflet-control-layers-toggle");
      if (toggle) { toggle.title = this.t.layers; toggle.setAttribute("aria-label", this.t.layers); }
      this.layerControl.getContainer().setAttribute("aria-label", this.t.layers);
      this.exclusiveBoxes();
      map.on("overlayadd", function (e) { self.onShown(e.layer); });
      map.on("overlayadd overlayremove", function () { self.syncLegend(); self.syncHit(); });
    });
    this.later(function () {
      this.titleBox();
      this.searchControl(); this.fullscreenControl(); this.printControl(); this.zoomLabels();
    });
    this.later(function () {
      this.legendControl();
      var bb = topojson.bbox(P.topo);
      this.bounds = L.latLngBounds([bb[1], bb[0]], [bb[3], bb[2]]);
      this.layout();
      if (this.bounds.isValid()) map.fitBounds(this.bounds, this.fitOptions());
      map.on("resize", function () { self.layout(); });
      map.on("popupopen", function (e) {
        document.documentElement.classList.add("sg-popup-open");  // phones: the profile takes the place of the top controls
        map.eachLayer(function (l) { if (l.closeTooltip) l.closeTooltip(); });  // a tap leaves no stale tooltip beside it
        self.keepPopupInView(e.popup);
      });
      map.on("popupclose", function () { document.documentElement.classList.remove("sg-popup-open"); });
      this.printSetup();
      Object.keys(shownGroups).forEach(function (g) { self.followTitle(shownGroups[g]); });
    });
    // one layer per task: the page paints and answers between them (first paint, total blocking time)
    var queue = this.layers.filter(function (l) { return l.sgShow; }).concat(this.layers.filter(function (l) { return !l.sgShow; }));
    var step = function () {
      if (self.pending.length) { self.pending.shift().call(self); nextTask(step); return; }
      var layer = queue.shift();
      if (!layer) {
        self.loading = false;
        self.syncHit();
        global.sgAtlas = self;  // for tests and the console: every layer is drawn
        return;
      }
      if (layer.sgShow) layer.addTo(map); else self.realize(layer);
      nextTask(step);
    };
    nextTask(step);
  };

  A.draw = function (map, payload) { var a = new A.Atlas(map, payload); a.build(); return a; };
})(window.SerangAtlas, window);
