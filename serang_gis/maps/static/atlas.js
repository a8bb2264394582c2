/* serang-gis map runtime: draws the layers of one map from a compact payload (TopoJSON + columns).
 * Every string from data is inserted as text (esc), never as markup. */
(function (global) {
  "use strict";

  function esc(s) {
    return String(s === null || s === undefined ? "" : s).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  function Atlas(map, P) {
    this.map = map; this.P = P; this.t = P.t;
    this.locale = P.lang === "en" ? "en-US" : "id-ID";
    this.features = topojson.feature(P.topo, P.topo.objects.u).features;
    this.features.forEach(function (f, i) { f.properties = {i: i}; });
    this.n = this.features.length;
    this.fieldByKey = {};
    var self = this;
    P.fields.forEach(function (f) { self.fieldByKey[f.key] = f; });
    this.overlays = {}; this.legendBlocks = {}; this.searchIndex = [];
    this.primary = null;  // the layer whose features answer search and popups
  }

  Atlas.prototype.col = function (key, i) { var c = this.P.cols[key]; return c ? c[i] : null; };

  Atlas.prototype.fmt = function (key, v) {
    var f = this.fieldByKey[key];
    if (v === null || v === undefined || v === "") return this.t.no_data;
    if (!f) return String(v);
    if (f.kind === "flag") return v ? this.t.yes : this.t.no;
    if (typeof v !== "number") return String(v);
    var s = new Intl.NumberFormat(this.locale, {minimumFractionDigits: f.dec, maximumFractionDigits: f.dec}).format(v);
    return f.unit ? s + (f.unit === "%" ? " %" : " " + f.unit) : s;
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

  Atlas.prototype.tooltip = function (i, layer) {
    var rows = [[this.t.unit_name, this.col("nama", i)]];
    if (this.P.cols.kec) rows.push([this.t.kecamatan, this.col("kec", i)]);
    var keys = layer && layer.field ? [layer.field] : [];
    this.P.tooltip.forEach(function (k) { if (keys.indexOf(k) < 0) keys.push(k); });
    var self = this;
    keys.forEach(function (k) {
      var f = self.fieldByKey[k];
      if (!f) return;
      var v = self.col(k, i), text = self.fmt(k, v);
      if (layer && k === layer.field && layer.mark_col) {
        var m = self.col(layer.mark_col, i);
        if (m && layer.mark_short[m]) text += " (" + layer.mark_short[m] + ")";
      }
      rows.push([f.label, text]);
      if (layer && k === layer.field && layer.extra_col && self.col(layer.extra_col, i)) rows.push(["", self.col(layer.extra_col, i)]);
    });
    return "<table class='sg-tip'>" + rows.map(function (r) {
      return "<tr><th>" + esc(r[0]) + "</th><td>" + esc(r[1]) + "</td></tr>";
    }).join("") + "</table>";
  };

  Atlas.prototype.profile = function (i) {
    var self = this, html = "<div class='sg-profile'><h3>" + esc(this.col("nama", i)) + "</h3>";
    var sub = [this.col("kode", i)];
    if (this.P.cols.kec) sub.push(this.t.kecamatan + " " + this.col("kec", i));
    html += "<div class='sg-sub'>" + esc(sub.join(" · ")) + "</div><table>";
    this.P.profile.forEach(function (k) {
      var f = self.fieldByKey[k];
      if (!f) return;
      var v = self.col(k, i), src = self.sourceText(k, i);
      if (f.kind === "list") {  // one item per line of the text, each inserted as text
        var items = String(v === null || v === undefined ? "" : v).split("\n").filter(function (s) { return s; });
        html += "<tr><th colspan='2'>" + esc(f.label) + " (" + items.length + ")</th></tr><tr><td colspan='2'><ul class='sg-list'>" +
          items.map(function (s) { return "<li>" + esc(s) + "</li>"; }).join("") + "</ul></td></tr>";
        return;
      }
      html += "<tr><th>" + esc(f.label) + "</th><td>" + esc(self.fmt(k, v)) +
        (src ? "<div class='sg-src'>" + esc(src) + "</div>" : "") + "</td></tr>";
    });
    return html + "</table></div>";
  };

  Atlas.prototype.legend = function (id, title, items, note) {
    var html = "<div class='sg-legend-title'>" + esc(title) + "</div>";
    items.forEach(function (it) {
      var sw = it.kind === "line" ? "<span class='sg-sw sg-line' style='border-top:3px " + (it.dash ? "dashed " : "solid ") + it.color + "'></span>"
        : it.kind === "circle" ? "<span class='sg-sw sg-circle' style='width:" + it.size + "px;height:" + it.size + "px;background:" + it.color + "'></span>"
        : it.kind === "hatch" ? "<span class='sg-sw sg-hatch-sw'></span>"
        : "<span class='sg-sw' style='background:" + it.color + (it.dash ? ";border:1px dashed #000" : "") + "'></span>";
      html += "<div class='sg-legend-item' data-class='" + esc(it.cls === undefined ? "" : it.cls) + "'>" + sw + esc(it.label) + "</div>";
    });
    if (note) html += "<div class='sg-legend-note'>" + esc(note) + "</div>";
    this.legendBlocks[id] = html;
  };

  Atlas.prototype.polygons = function (spec, styleOf, interactive) {
    var self = this;
    var layer = L.geoJSON({type: "FeatureCollection", features: this.features}, {
      className: "sg-poly sg-layer-" + spec.id,
      interactive: interactive !== false,
      style: function (feat) { return styleOf(feat.properties.i); },
      onEachFeature: function (feat, l) {
        var i = feat.properties.i;
        l.sgIndex = i;
        if (interactive === false) return;
        l.bindTooltip(function () { return self.tooltip(i, spec); }, {sticky: true});
        l.bindPopup(function () { return self.profile(i); }, {maxWidth: 360, autoPanPaddingTopLeft: L.point(60, 110)});
        l.on("mouseover", function () { l.setStyle({weight: 3}); });
        l.on("mouseout", function () { layer.resetStyle(l); });
      }
    });
    if (!this.primary && interactive !== false) this.primary = layer;
    return layer;
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

  // A classed layer: fills, then a hatch over the units whose figure needs caution (few measured, partial aggregate).
  Atlas.prototype.addClassed = function (s, items) {
    var self = this;
    var layer = this.polygons(s, function (i) {
      return {fillColor: self.fillOf(s, i), fillOpacity: s.type === "choropleth" ? 0.8 : 0.75, color: "#555", weight: 0.8};
    });
    if (s.few) items.push({label: s.few.label, color: s.few.color, cls: -2});
    items.push({label: s.nodata.label, color: s.nodata.color, cls: -1});
    var hatched = [];
    ["caution", "partial"].forEach(function (m) {
      if (s.marks && s.marks[m]) items.push({label: s.marks[m], color: "#fff", kind: "hatch", cls: m});
    });
    if (s.mark_col) {
      hatched = this.features.filter(function (f) { var m = self.col(s.mark_col, f.properties.i); return m === "caution" || m === "partial"; });
    }
    if (!hatched.length) return layer;
    this.hatchDefs();
    var over = L.geoJSON({type: "FeatureCollection", features: hatched}, {interactive: false, className: "sg-hatch sg-hatch-" + s.id,
      style: {fillColor: "url(#sg-hatch)", fillOpacity: 1, color: "#000", weight: 1.2, dashArray: "3 3"}});
    var group = L.featureGroup([layer, over]);
    group.getBounds = function () { return layer.getBounds(); };
    return group;
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
    }, false);
    this.legend(s.id, s.name, [{label: s.label, color: s.color, kind: "line", dash: s.dash}], s.note);
    return layer;
  };

  Atlas.prototype.addCircles = function (s) {
    var self = this, group = L.featureGroup([], {className: "sg-layer-" + s.id});
    var r = function (v) { return s.max > 0 ? s.max_radius * Math.sqrt(v / s.max) : 0; };
    for (var i = 0; i < this.n; i++) {
      var v = this.col(s.field, i);
      if (v === null || v === undefined || v <= 0) continue;
      (function (i) {
        var m = L.circleMarker([self.col("_lat", i), self.col("_lon", i)], {
          radius: r(v), color: s.stroke, weight: 1, fillColor: s.color, fillOpacity: 0.7, className: "sg-circle sg-circle-" + s.id});
        m.bindTooltip(function () { return self.tooltip(i, s); });
        m.bindPopup(function () { return self.profile(i); }, {maxWidth: 360, autoPanPaddingTopLeft: L.point(60, 110)});
        group.addLayer(m);
      })(i);
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
      L.geoJSON(topojson.merge(self.P.topo, byKec[k]), {interactive: false, className: "sg-kec-outline",
        style: {fill: false, color: "#4d4d4d", weight: 2, opacity: 0.85}}).addTo(group);
    });
    (s.labels || []).forEach(function (lb) {
      L.marker([lb.lat, lb.lon], {interactive: false, keyboard: false,
        icon: L.divIcon({className: "sg-kec-label", html: esc(lb.name), iconSize: [140, 18], iconAnchor: [70, 9]})}).addTo(group);
    });
    this.legend(s.id, s.name, [{label: s.label, color: "#4d4d4d", kind: "line"}]);
    return group;
  };

  Atlas.prototype.addLabels = function (s) {
    var group = L.featureGroup([]);
    for (var i = 0; i < this.n; i++) {
      L.marker([this.col("_lat", i), this.col("_lon", i)], {interactive: false, keyboard: false,
        icon: L.divIcon({className: "sg-kec-label", html: esc(this.col("nama", i)), iconSize: [140, 18], iconAnchor: [70, -6]})}).addTo(group);
    }
    return group;
  };

  Atlas.prototype.addPoints = function (s) {
    var group = L.featureGroup([]);
    s.points.forEach(function (p) {
      L.circleMarker([p.lat, p.lon], {radius: 6, color: "#fff", weight: 2, fillColor: "#2c7fb8", fillOpacity: 1, className: "sg-point"})
        .bindTooltip(esc(p.name)).addTo(group);
    });
    this.legend(s.id, s.name, [{label: s.label, color: "#2c7fb8", kind: "circle", size: 12}]);
    return group;
  };

  Atlas.prototype.build = function () {
    var self = this, map = this.map, P = this.P;
    var bases = {}, first = null;
    P.basemaps.forEach(function (b) {
      var layer = b.url ? L.tileLayer(b.url, {attribution: b.attribution, maxZoom: 19, subdomains: b.subdomains || "abc"}) : L.layerGroup();
      bases[b.name] = layer;
      if (b.default) first = layer;
    });
    (first || bases[Object.keys(bases)[0]]).addTo(map);
    var adders = {choropleth: "addChoropleth", categorical: "addCategorical", outline: "addOutline",
                  circles: "addCircles", kecamatan: "addKecamatan", points: "addPoints", labels: "addLabels"};
    P.layers.forEach(function (s) {
      var layer = self[adders[s.type]](s);
      layer.sgId = s.id;
      layer.sgGroup = s.group || null;
      self.overlays[s.name] = layer;
      if (s.show) layer.addTo(map);
    });
    // layers of one group (the periods of an indicator) are exclusive: showing one hides the others
    map.on("overlayadd", function (e) {
      if (!e.layer.sgGroup) return;
      Object.keys(self.overlays).forEach(function (name) {
        var other = self.overlays[name];
        if (other !== e.layer && other.sgGroup === e.layer.sgGroup && map.hasLayer(other)) map.removeLayer(other);
      });
    });
    map.attributionControl.addAttribution(esc(P.attribution));
    // Leaflet's layer control inserts names as HTML: give it escaped names (names come from files, configs, options)
    var escaped = function (byName) {
      var out = {};
      Object.keys(byName).forEach(function (name) { out[esc(name)] = byName[name]; });
      return out;
    };
    L.control.layers(escaped(bases), escaped(this.overlays), {collapsed: false, position: "topright"}).addTo(map);
    this.legendControl(); this.searchControl(); this.fullscreenControl();
    var b = this.primary ? this.primary.getBounds() : null;
    if (b && b.isValid()) map.fitBounds(b, {padding: [10, 10]});
    global.sgAtlas = this;  // for tests and the console
  };

  Atlas.prototype.legendControl = function () {
    var self = this, map = this.map;
    var ctl = L.control({position: "bottomright"});
    ctl.onAdd = function () {
      var div = L.DomUtil.create("div", "sg-legend");
      Object.keys(self.legendBlocks).forEach(function (id) {
        var block = L.DomUtil.create("div", "sg-legend-block", div);
        block.setAttribute("data-layer", id);
        block.innerHTML = self.legendBlocks[id];
      });
      L.DomEvent.disableClickPropagation(div); L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    ctl.addTo(map);
    var sync = function () {
      Object.keys(self.overlays).forEach(function (name) {
        var layer = self.overlays[name];
        var el = document.querySelector(".sg-legend-block[data-layer='" + layer.sgId + "']");
        if (el) el.style.display = map.hasLayer(layer) ? "" : "none";
      });
    };
    map.on("overlayadd overlayremove", sync);
    sync();
  };

  Atlas.prototype.searchControl = function () {
    var self = this, map = this.map;
    var ctl = L.control({position: "topleft"});
    ctl.onAdd = function () {
      var div = L.DomUtil.create("div", "sg-search leaflet-bar");
      var input = L.DomUtil.create("input", "", div);
      input.type = "search"; input.placeholder = self.t.search; input.setAttribute("aria-label", self.t.search);
      var list = L.DomUtil.create("ul", "sg-search-results", div);
      L.DomEvent.disableClickPropagation(div); L.DomEvent.disableScrollPropagation(div);
      input.addEventListener("input", function () {
        var q = input.value.trim().toLowerCase();
        list.innerHTML = "";
        if (q.length < 2) return;
        for (var i = 0; i < self.n; i++) {
          var name = String(self.col("nama", i)), code = String(self.col("kode", i));
          if (name.toLowerCase().indexOf(q) < 0 && code.indexOf(q) < 0 && code.replace(/\./g, "").indexOf(q) < 0) continue;
          var li = L.DomUtil.create("li", "sg-search-hit", list);
          li.textContent = name + (self.P.cols.kec ? " (" + self.t.kecamatan + " " + self.col("kec", i) + ")" : "") + " · " + code;
          li.setAttribute("data-index", i);
          li.addEventListener("click", function (ev) { self.focus(+ev.currentTarget.getAttribute("data-index")); });
        }
        if (!list.children.length) { var none = L.DomUtil.create("li", "sg-search-none", list); none.textContent = self.t.not_found; }
      });
      return div;
    };
    ctl.addTo(map);
  };

  Atlas.prototype.focus = function (i) {
    var self = this, target = null;
    if (!this.primary) return;
    this.primary.eachLayer(function (l) { if (l.sgIndex === i) target = l; });
    if (!target) return;
    if (!this.map.hasLayer(this.primary)) this.primary.addTo(this.map);
    this.map.fitBounds(target.getBounds(), {maxZoom: 15});
    target.openPopup(target.getBounds().getCenter());
  };

  Atlas.prototype.fullscreenControl = function () {
    var self = this, ctl = L.control({position: "topleft"});
    ctl.onAdd = function () {
      var div = L.DomUtil.create("div", "leaflet-bar sg-fullscreen");
      var a = L.DomUtil.create("a", "", div);
      a.href = "#"; a.title = self.t.fullscreen; a.setAttribute("role", "button"); a.setAttribute("aria-label", self.t.fullscreen);
      a.innerHTML = "<svg width='16' height='16' viewBox='0 0 16 16' aria-hidden='true'><path d='M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5' " +
        "fill='none' stroke='#222' stroke-width='2'/></svg>";
      L.DomEvent.on(a, "click", function (ev) {
        L.DomEvent.preventDefault(ev);
        var el = self.map.getContainer();
        if (document.fullscreenElement) document.exitFullscreen(); else if (el.requestFullscreen) el.requestFullscreen();
      });
      return div;
    };
    ctl.addTo(this.map);
    document.addEventListener("fullscreenchange", function () { self.map.invalidateSize(); });
  };

  global.SerangAtlas = {
    draw: function (map, payload) { var a = new Atlas(map, payload); a.build(); return a; },
    esc: esc
  };
})(window);
