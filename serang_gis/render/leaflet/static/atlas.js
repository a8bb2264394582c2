/* serang-gis map runtime: draws the layers of one map from a compact payload (TopoJSON + columns).
 * Every string from data is inserted as text (esc, textContent), never as markup.
 *
 * Draw order is fixed by panes whatever is toggled: polygons < kecamatan outlines < lokus outlines <
 * circles and points < labels. An invisible copy of the units lies under everything, so hover,
 * click and search work whichever layers are on. Layers sharing `group` (the periods of one
 * indicator, its change layers) are exclusive; the title, subtitle and sources follow the chosen layer
 * when it carries them. */
(function (global) {
  "use strict";

  var UI = {  // the runtime's own words; the payload's `t` may override them
    id: {layers: "Lapisan peta", legend: "Legenda", print: "Cetak peta", close: "Tutup", results: "Hasil pencarian"},
    en: {layers: "Map layers", legend: "Legend", print: "Print map", close: "Close", results: "Search results"}
  };
  var UNITS_EN = {balita: "toddlers", keluarga: "families", poin: "points", kelurahan: "kelurahan"};
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

  function Atlas(map, P) {
    this.map = map; this.P = P;
    this.t = {};
    var ui = UI[P.lang] || UI.id, k;
    for (k in ui) this.t[k] = ui[k];
    for (k in P.t) this.t[k] = P.t[k];
    this.locale = P.lang === "en" ? "en-US" : "id-ID";
    this.features = topojson.feature(P.topo, P.topo.objects.u).features;
    this.features.forEach(function (f, i) { f.properties = {i: i}; });
    this.n = this.features.length;
    this.fieldByKey = {}; this.catLabel = {};
    var self = this;
    P.fields.forEach(function (f) { self.fieldByKey[f.key] = f; });
    P.layers.forEach(function (s) {  // category values shown with their layer's (translated) labels
      if (s.type !== "categorical") return;
      var m = self.catLabel[s.field] = self.catLabel[s.field] || {};
      s.cats.forEach(function (c) { m[c.value] = c.label; });
    });
    this.overlays = {}; this.layers = []; this.legendBlocks = {};
    this.grouped = {};  // fields that belong to a group (a period or change layer), and the group names
    P.layers.forEach(function (s) { if (s.group) { self.grouped[s.field] = true; self.grouped[s.group] = true; } });
    this.phone = global.matchMedia ? global.matchMedia(PHONE).matches : false;
  }

  Atlas.prototype.col = function (key, i) { var c = this.P.cols[key]; return c ? c[i] : null; };

  Atlas.prototype.fmt = function (key, v) {
    var f = this.fieldByKey[key];
    if (v === null || v === undefined || v === "") return this.t.no_data;
    if (this.catLabel[key] && Object.prototype.hasOwnProperty.call(this.catLabel[key], v)) return this.catLabel[key][v];
    if (!f) return String(v);
    if (f.kind === "flag") return v ? this.t.yes : this.t.no;
    if (typeof v !== "number") return String(v);
    var s = new Intl.NumberFormat(this.locale, {minimumFractionDigits: f.dec, maximumFractionDigits: f.dec}).format(v);
    var unit = f.unit && this.P.lang === "en" && UNITS_EN[f.unit] ? UNITS_EN[f.unit] : f.unit;
    return unit ? s + (unit === "%" ? " %" : " " + unit) : s;
  };

  /* A value as read: "12,4 % (8,1-18,3 %)" where the field carries its interval. */
  Atlas.prototype.valueText = function (key, i) {
    var f = this.fieldByKey[key], v = this.col(key, i), text = this.fmt(key, v);
    if (f && f.lo_col && v !== null && v !== undefined) {
      var lo = this.col(f.lo_col, i), hi = this.col(f.hi_col, i);
      if (lo !== null && lo !== undefined && hi !== null && hi !== undefined) {
        var n = new Intl.NumberFormat(this.locale, {minimumFractionDigits: f.dec, maximumFractionDigits: f.dec});
        text += " (" + n.format(lo) + "-" + n.format(hi) + (f.unit === "%" ? " %" : "") + ")";
      }
    }
    return text;
  };

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

  /* The fields a tooltip shows: the hovered layer's, the shown period of each group, then the others
   * (a field of a period that is not shown, or the group's own latest-value column, is left out). */
  Atlas.prototype.tooltipKeys = function (spec) {
    var self = this, keys = [];
    var add = function (k) { if (k && self.fieldByKey[k] && keys.indexOf(k) < 0) keys.push(k); };
    if (spec && spec.field) add(spec.field);
    this.P.layers.forEach(function (s) { if (s.group && self.visible(s)) add(s.field); });
    this.P.tooltip.forEach(function (k) { if (!self.grouped[k]) add(k); });
    return keys;
  };

  Atlas.prototype.fieldLabel = function (k) {
    var f = this.fieldByKey[k];
    var label = f.label;
    if (f.period && String(label).indexOf(f.period) < 0) label += " (" + f.period + ")";
    return label;
  };

  Atlas.prototype.tooltip = function (i, spec) {
    var self = this, rows = [[this.t.unit_name, this.col("nama", i)]];
    if (this.P.cols.kec) rows.push([this.t.kecamatan, this.col("kec", i)]);
    this.tooltipKeys(spec).forEach(function (k) {
      var text = self.valueText(k, i), extra = null;
      self.P.layers.forEach(function (s) {  // the caveat the plan put on this value (too few measured, partial sum)
        if (s.field !== k || !s.mark_col) return;
        var m = self.col(s.mark_col, i);
        if (m && s.mark_short[m] && text.indexOf(s.mark_short[m]) < 0) text += " (" + s.mark_short[m] + ")";
        if (s.extra_col && self.col(s.extra_col, i)) extra = self.col(s.extra_col, i);
      });
      rows.push([self.fieldLabel(k), text]);
      if (extra) rows.push(["", extra]);
    });
    return "<table class='sg-tip'>" + rows.map(function (r) {
      return "<tr><th>" + esc(r[0]) + "</th><td>" + esc(r[1]) + "</td></tr>";
    }).join("") + "</table>";
  };

  Atlas.prototype.profile = function (i) {
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
      if (f.kind === "list") {  // one item per line of the text, each inserted as text
        var v = self.col(k, i), items = String(v === null || v === undefined ? "" : v).split("\n").filter(function (x) { return x; });
        el("th", "", tr, f.label + " (" + items.length + ")").setAttribute("colspan", "2");
        var ul = el("ul", "sg-list", el("td", "", el("tr", "", table)));
        ul.parentNode.setAttribute("colspan", "2");
        items.forEach(function (x) { el("li", "", ul, x); });
        return;
      }
      el("th", "", tr, self.fieldLabel(k)).setAttribute("scope", "row");
      td = el("td", "", tr, self.valueText(k, i));
      var src = self.sourceText(k, i);
      if (src) linkify(el("div", "sg-src", td), src);
    });
    return div;
  };

  Atlas.prototype.legend = function (id, title, items, note) {
    var block = el("div", "sg-legend-block");
    block.setAttribute("data-layer", id);
    el("div", "sg-legend-title", block, title);
    items.forEach(function (it) {
      var row = el("div", "sg-legend-item", block), sw = el("span", "sg-sw", row);
      row.setAttribute("data-class", it.cls === undefined ? "" : it.cls);
      if (it.kind === "line") {
        sw.className = "sg-sw sg-line"; sw.style.borderTop = "3px " + (it.dash ? "dashed " : "solid ") + it.color;
      } else if (it.kind === "circle") {
        sw.className = "sg-sw sg-circle"; sw.style.width = it.size + "px"; sw.style.height = it.size + "px"; sw.style.background = it.color;
      } else if (it.kind === "hatch") {
        sw.className = "sg-sw sg-hatch-sw";
      } else {
        sw.style.background = it.color;
        if (it.dash) sw.style.border = "1px dashed #000";
      }
      row.appendChild(document.createTextNode(it.label));
    });
    if (note) el("div", "sg-legend-note", block, note);
    this.legendBlocks[id] = block;
  };

  Atlas.prototype.bindProfile = function (l, i) {
    var self = this;
    l.bindPopup(function () { return self.profile(i); },
                {maxWidth: this.popupWidth(), minWidth: Math.min(240, this.popupWidth()), autoPan: false, className: "sg-popup"});
  };

  Atlas.prototype.popupWidth = function () {
    return Math.max(200, Math.min(360, this.map.getSize().x - 60));
  };

  Atlas.prototype.polygons = function (spec, styleOf, interactive, pane, keep, cls) {
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
  Atlas.prototype.later = function (fn) { if (this.loading) this.pending.push(fn); else fn.call(this); };

  /* While the page loads, shapes are added a few at a time, one task each (short tasks: the page answers). */
  Atlas.prototype.addFeatures = function (layer, features) {
    if (!this.loading) { layer.addData({type: "FeatureCollection", features: features}); return; }
    for (var k = 0; k < features.length; k += CHUNK) {
      (function (part) {
        this.pending.push(function () { layer.addData({type: "FeatureCollection", features: part}); });
      }).call(this, features.slice(k, k + CHUNK));
    }
  };

  // The class of every unit comes precomputed in the payload (the map plan decided it): this only paints.
  Atlas.prototype.classOf = function (s, i) { var k = this.col(s.index_col, i); return k === null || k === undefined ? -1 : k; };

  Atlas.prototype.fillOf = function (s, i) {
    var k = this.classOf(s, i);
    if (k >= 0) return s.type === "choropleth" ? s.classes.colors[k] : s.cats[k].color;
    return k === -2 && s.few ? s.few.color : s.nodata.color;
  };

  Atlas.prototype.hatchDefs = function () {
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

  // A classed layer: fills, then a hatch over the units whose figure needs caution (few measured, partial sum).
  Atlas.prototype.addClassed = function (s, items) {
    var self = this;
    var layer = this.polygons(s, function (i) {
      return {fillColor: self.fillOf(s, i), fillOpacity: s.type === "choropleth" ? 0.8 : 0.75, color: "#555", weight: 0.8};
    });
    if (s.few) items.push({label: s.few.label, color: s.few.color, cls: -2});
    items.push({label: s.nodata.label, color: s.nodata.color, cls: -1});
    ["caution", "partial"].forEach(function (m) {
      if (s.marks && s.marks[m]) items.push({label: s.marks[m], color: "#fff", kind: "hatch", cls: m});
    });
    if (!s.mark_col) return layer;
    var hatched = function (f) { var m = self.col(s.mark_col, f.properties.i); return m === "caution" || m === "partial"; };
    if (!this.features.some(hatched)) return layer;
    this.hatchDefs();
    var over = this.polygons({id: "hatch-" + s.id, type: s.type}, function () {
      return {fillColor: "url(#sg-hatch)", fillOpacity: 1, color: "#000", weight: 1.2, dashArray: "3 3"};
    }, false, null, hatched, "sg-hatch");
    return L.featureGroup([layer, over]);
  };

  Atlas.prototype.addChoropleth = function (s) {
    var c = s.classes;
    var items = c.labels.map(function (lab, k) { return {label: lab, color: c.colors[k], cls: k}; });
    var layer = this.addClassed(s, items);
    var note = s.note || "";
    if (s.target !== null && s.target !== undefined) {
      var above = 0;
      for (var i = 0; i < this.n; i++) { var v = this.col(s.field, i); if (v !== null && v >= s.target) above++; }
      note = (note ? note + ". " : "") + this.t.target.replace("{value}", this.fmt(s.field, s.target)).replace("{n}", above);
    }
    this.legend(s.id, s.name, items, note);
    return layer;
  };

  Atlas.prototype.addCategorical = function (s) {
    var items = s.cats.map(function (c, k) { return {label: c.label, color: c.color, cls: k}; });
    var layer = this.addClassed(s, items);
    this.legend(s.id, s.name, items, s.note);
    return layer;
  };

  Atlas.prototype.addOutline = function (s) {
    var self = this;
    var layer = this.polygons(s, function (i) {
      var on = !!self.col(s.field, i);
      return {fill: false, stroke: on, color: s.color, weight: on ? 3.5 : 0, opacity: 1, dashArray: s.dash ? "7 5" : null};
    }, false, null, function (f) { return !!self.col(s.field, f.properties.i); });  // only the units on the list
    this.legend(s.id, s.name, [{label: s.label, color: s.color, kind: "line", dash: s.dash}], s.note);
    return layer;
  };

  Atlas.prototype.addCircles = function (s) {
    var self = this, group = L.featureGroup([]);
    var r = function (v) { return s.max > 0 ? s.max_radius * Math.sqrt(v / s.max) : 0; };
    var one = function (i) {
      var v = self.col(s.field, i);
      if (v === null || v === undefined || v <= 0) return;
      var m = L.circleMarker([self.col("_lat", i), self.col("_lon", i)], {pane: PANE_OF.circles,
        radius: r(v), color: s.stroke, weight: 1, fillColor: s.color, fillOpacity: 0.7, className: "sg-circle sg-circle-" + s.id});
      m.bindTooltip(function () { return self.tooltip(i, s); });
      self.bindProfile(m, i);
      group.addLayer(m);
    };
    for (var k = 0; k < this.n; k += 2 * CHUNK) {
      (function (k0) { self.later(function () { for (var i = k0; i < Math.min(k0 + 2 * CHUNK, self.n); i++) one(i); }); })(k);
    }
    var refs = s.refs.map(function (v) { return {label: self.fmt(s.field, v), color: s.color, kind: "circle", size: 2 * r(v)}; });
    this.legend(s.id, s.name, refs, s.note || this.t.circle_note);
    return group;
  };

  Atlas.prototype.addKecamatan = function (s) {
    var byKec = {}, geoms = this.P.topo.objects.u.geometries, self = this;
    geoms.forEach(function (g, i) { var k = self.col("kec", i); (byKec[k] = byKec[k] || []).push(g); });
    var group = L.featureGroup([]);
    Object.keys(byKec).forEach(function (k) {
      self.later(function () {
        L.geoJSON(topojson.merge(self.P.topo, byKec[k]), {interactive: false, className: "sg-kec-outline", pane: PANE_OF.kecamatan,
          style: {fill: false, color: "#4d4d4d", weight: 2, opacity: 0.85}}).addTo(group);
      });
    });
    (s.labels || []).forEach(function (lb) {
      L.marker([lb.lat, lb.lon], {interactive: false, keyboard: false, pane: PANE_OF.labels,
        icon: L.divIcon({className: "sg-kec-label", html: esc(lb.name), iconSize: [140, 18], iconAnchor: [70, 9]})}).addTo(group);
    });
    this.legend(s.id, s.name, [{label: s.label, color: "#4d4d4d", kind: "line"}]);
    return group;
  };

  Atlas.prototype.addLabels = function (s) {
    var group = L.featureGroup([]);
    for (var i = 0; i < this.n; i++) {
      L.marker([this.col("_lat", i), this.col("_lon", i)], {interactive: false, keyboard: false, pane: PANE_OF.labels,
        icon: L.divIcon({className: "sg-kec-label", html: esc(this.col("nama", i)), iconSize: [140, 18], iconAnchor: [70, -6]})}).addTo(group);
    }
    return group;
  };

  Atlas.prototype.addPoints = function (s) {
    var group = L.featureGroup([]);
    s.points.forEach(function (p) {
      L.circleMarker([p.lat, p.lon], {radius: 6, color: "#fff", weight: 2, fillColor: "#2c7fb8", fillOpacity: 1, className: "sg-point",
        pane: PANE_OF.points}).bindTooltip(esc(p.name)).addTo(group);
    });
    this.legend(s.id, s.name, [{label: s.label, color: "#2c7fb8", kind: "circle", size: 12}]);
    return group;
  };

  /* The units once more, invisible, under every layer: they answer hover, click and search. */
  Atlas.prototype.addHit = function () {
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

  Atlas.prototype.build = function () {
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
      this.searchControl(); this.fullscreenControl(); this.printControl();
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

  var ADDERS = {choropleth: "addChoropleth", categorical: "addCategorical", outline: "addOutline",
                circles: "addCircles", kecamatan: "addKecamatan", points: "addPoints", labels: "addLabels"};

  /* Draw a layer's shapes and legend the first time they are needed. */
  Atlas.prototype.realize = function (wrap) {
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
  Atlas.prototype.syncHit = function () {
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

  /* A layer of a group was ticked: the group's other layers go off (map and boxes), the title follows. */
  Atlas.prototype.onShown = function (layer) {
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
  Atlas.prototype.syncInputs = function () {
    var self = this, byStamp = {};
    this.layers.forEach(function (l) { byStamp[L.Util.stamp(l)] = l; });
    var inputs = this.layerControl.getContainer().querySelectorAll("input.leaflet-control-layers-selector");
    Array.prototype.forEach.call(inputs, function (input) {
      var layer = byStamp[input.layerId];
      if (layer) input.checked = self.map.hasLayer(layer);
    });
  };

  /* Ticking a layer of a group unticks the group's others before Leaflet reads the boxes (capture phase). */
  Atlas.prototype.exclusiveBoxes = function () {
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

  Atlas.prototype.followTitle = function (s) {
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

  Atlas.prototype.fillSources = function (sources) {
    var list = this.title.list;
    while (list.firstChild) list.removeChild(list.firstChild);
    sources.forEach(function (s) { linkify(el("li", "", list), s); });
  };

  /* The title box (rendered in the page) comes first in the document: before search and the map. */
  Atlas.prototype.titleBox = function () {
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

  Atlas.prototype.setText = function (node, text) {
    while (node.firstChild) node.removeChild(node.firstChild);
    linkify(node, text);
  };

  Atlas.prototype.topInset = function () {
    var mapBox = this.map.getContainer().getBoundingClientRect();
    if (!this.title || !this.title.el.offsetParent) return 0;
    var r = this.title.el.getBoundingClientRect();
    return Math.max(0, r.bottom - mapBox.top);
  };

  Atlas.prototype.fitOptions = function () {
    var top = this.topInset();
    return {paddingTopLeft: [10, top + 10], paddingBottomRight: [10, 10]};
  };

  /* Controls at the top go below the title when they would meet it; the profile's height follows the screen. */
  Atlas.prototype.layout = function () {
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
  Atlas.prototype.keepPopupInView = function (popup) {
    var map = this.map, box = map.getContainer().getBoundingClientRect(), node = popup.getElement();
    if (!node) return;
    var r = node.getBoundingClientRect(), top = this.topInset() + 8, dx = 0, dy = 0;
    if (r.top - box.top < top) dy = r.top - box.top - top;
    else if (r.bottom > box.bottom - 8) dy = Math.min(r.bottom - box.bottom + 8, r.top - box.top - top);
    if (r.left - box.left < 8) dx = r.left - box.left - 8;
    else if (r.right > box.right - 8) dx = r.right - box.right + 8;
    if (dx || dy) map.panBy([dx, dy], {animate: false});
  };

  Atlas.prototype.syncLegend = function () {
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
  Atlas.prototype.attachLegend = function (id) {
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

  Atlas.prototype.legendControl = function () {
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

  /* Search: a combobox before the map in the document (first tab stop after the title). Every word
   * typed must match the name, the kecamatan or the code: "sukawana curug". */
  Atlas.prototype.searchControl = function () {
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

  Atlas.prototype.focus = function (i) {
    var self = this, shape = L.geoJSON(this.features[i]);
    var opts = this.fitOptions();
    opts.maxZoom = 15; opts.animate = false;
    this.map.fitBounds(shape.getBounds(), opts);
    L.popup({maxWidth: this.popupWidth(), minWidth: Math.min(240, this.popupWidth()), autoPan: false, className: "sg-popup"})
      .setLatLng([this.col("_lat", i), this.col("_lon", i)]).setContent(function () { return self.profile(i); }).openOn(this.map);
  };

  Atlas.prototype.button = function (cls, label, svg, onClick) {
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

  Atlas.prototype.fullscreenControl = function () {
    var self = this;
    this.button("sg-fullscreen", this.t.fullscreen, "<svg width='16' height='16' viewBox='0 0 16 16' aria-hidden='true'>" +
      "<path d='M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5' fill='none' stroke='#222' stroke-width='2'/></svg>", function () {
      var root = document.documentElement;
      if (document.fullscreenElement) document.exitFullscreen(); else if (root.requestFullscreen) root.requestFullscreen();
    });
    document.addEventListener("fullscreenchange", function () { self.map.invalidateSize(); self.layout(); });
  };

  Atlas.prototype.printControl = function () {
    var self = this;
    this.button("sg-print", this.t.print, "<svg width='16' height='16' viewBox='0 0 16 16' aria-hidden='true'>" +
      "<path d='M4 6V1h8v5M4 12H1V6h14v6h-3M4 9h8v6H4z' fill='none' stroke='#222' stroke-width='1.6'/></svg>", function () {
      self.preparePrint(true); global.print();
    });
  };

  /* Printing: controls hidden (CSS), legend and sources open, the whole kab/kota fitted to the page. */
  Atlas.prototype.preparePrint = function (on) {
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

  Atlas.prototype.printSetup = function () {
    var self = this;
    global.addEventListener("beforeprint", function () { self.preparePrint(true); });
    global.addEventListener("afterprint", function () { self.preparePrint(false); });
    if (global.matchMedia) {
      var mq = global.matchMedia("print");
      var on = function (e) { self.preparePrint(e.matches); };
      if (mq.addEventListener) mq.addEventListener("change", on); else if (mq.addListener) mq.addListener(on);
    }
  };

  global.SerangAtlas = {
    draw: function (map, payload) { var a = new Atlas(map, payload); a.build(); return a; },
    esc: esc,
    linkify: linkify
  };
})(window);
