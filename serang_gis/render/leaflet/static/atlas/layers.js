/* serang-gis map runtime, part 5 (layers): the shapes of each layer, painted as the payload says (a colour,
 * a hatch, an outline, a radius per unit), each with its legend block. */
(function (A) {
  "use strict";
  var esc = A.esc, attr = A.attr, PANE_OF = A.PANE_OF, CHUNK = A.CHUNK, proto = A.Atlas.prototype;

  /* A shape with a tooltip listens for focus, which makes Chromium put it in the Tab order: 67 unnamed stops before
   * the controls. Shapes are reached by search instead. */
  A.notTabStop_ = function (l) {
    l.on("add", function () { var e = l.getElement && l.getElement(); if (e) attr(e, "tabindex", "-1"); });
  };

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
        A.notTabStop_(l);
        l.bindTooltip(function () { return self.tooltip(i, spec.field ? spec : null); }, {sticky: true});
        self.bindProfile_(l, i);
        l.on("mouseover", function () { l.setStyle({weight: 3}); });
        l.on("mouseout", function () { layer.resetStyle(l); });
      }
    });
    this.addFeatures(layer, features);
    return layer;
  };

  /* While the page loads, work runs as its own task after the current one; later, at once. */
  proto.later = function (fn) { if (this.loading) this.pending_.push(fn); else fn.call(this); };

  /* While the page loads, shapes are added a few at a time, one task each (short tasks: the page answers). */
  proto.addFeatures = function (layer, features) {
    if (!this.loading) { layer.addData({type: "FeatureCollection", features: features}); return; }
    for (var k = 0; k < features.length; k += CHUNK) {
      (function (part) {
        this.pending_.push(function () { layer.addData({type: "FeatureCollection", features: part}); });
      }).call(this, features.slice(k, k + CHUNK));
    }
  };

  proto.hatchDefs_ = function () {
    if (document.getElementById("sg-hatch")) return;
    var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg");
    attr(svg, "width", "0"); attr(svg, "height", "0"); attr(svg, "aria-hidden", "true");
    svg.style.position = "absolute";
    var defs = document.createElementNS(ns, "defs"), pat = document.createElementNS(ns, "pattern"), line = document.createElementNS(ns, "line");
    attr(pat, "id", "sg-hatch"); attr(pat, "patternUnits", "userSpaceOnUse");
    attr(pat, "width", "6"); attr(pat, "height", "6"); attr(pat, "patternTransform", "rotate(45)");
    attr(line, "x1", "0"); attr(line, "y1", "0"); attr(line, "x2", "0"); attr(line, "y2", "6");
    attr(line, "stroke", "#000"); attr(line, "stroke-width", "1.3"); attr(line, "stroke-opacity", "0.75");
    pat.appendChild(line); defs.appendChild(pat); svg.appendChild(defs); document.body.appendChild(svg);
  };

  /* A classed layer (choropleth, categorical): each unit's colour, then a hatch over the units whose figure
   * needs caution (few measured, partial sum). */
  proto.addClassed = function (s) {
    var self = this, fill = function (i) {
      return {fillColor: self.col(s.color_col, i), fillOpacity: A.FILL_OPACITY[s.type], color: "#555", weight: 0.8};
    };
    var parts = [this.polygons(s, fill)];
    this.legend(s.id, s.legend, s);
    // a rare class (the plan's: Kota Serang's one Belum ODF kelurahan) once more, outlined, over the circles and outlines
    // (under the labels, placed off it), opaque in the colour its legend swatch shows: a small unit among circles is seen
    // at once on a phone too; not interactive (hover and click reach the shapes under it)
    if (s.rare) parts.push(this.polygons({id: "rare-" + s.id}, function (i) {
      return {fillColor: self.shownColor_(self.col(s.color_col, i), s), fillOpacity: 1, color: "#000", weight: 2};
    },
      false, "sg-label", function (f) { return s.rare.includes(self.col(s.index_col, f.properties.i)); }));
    if (s.hatch_col) {
      this.hatchDefs_();
      parts.push(this.polygons({id: "hatch-" + s.id, type: s.type}, function () {
        return {fillColor: "url(#sg-hatch)", fillOpacity: 1, color: "#000", weight: 1.2, dashArray: "3 3"};
      }, false, null, function (f) { return !!self.col(s.hatch_col, f.properties.i); }, "sg-hatch"));
    }
    return parts[1] ? L.featureGroup(parts) : parts[0];
  };

  proto.addOutline = function (s) {
    var self = this;
    var layer = this.polygons(s, function (i) {
      var on = !!self.col(s.field, i);
      return {fill: false, stroke: on, color: s.color, weight: on ? s.weight || 3.5 : 0, opacity: 1, dashArray: s.dash ? "7 5" : null};
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
      var m = L.circleMarker([self.col("_lat", i), self.col("_lon", i)], {pane: s.pane || PANE_OF.circles,
        radius: r, color: s.stroke, weight: 1, fillColor: s.color, fillOpacity: 0.7, className: "sg-circle sg-circle-" + s.id});
      m.bindTooltip(function () { return self.tooltip(i, s); });
      A.notTabStop_(m);
      self.bindProfile_(m, i);
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
  proto.addHit_ = function () {
    var self = this;
    this.hit = L.geoJSON(null, {
      pane: "sg-hit", className: "sg-hit", style: {stroke: false, fill: true, fillColor: "#000", fillOpacity: 0},
      onEachFeature: function (feat, l) {
        var i = feat.properties.i;
        l.sgIndex = i;
        A.notTabStop_(l);
        l.bindTooltip(function () { return self.tooltip(i, null); }, {sticky: true});
        self.bindProfile_(l, i);
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
    if (!this.primary_ && (t === "choropleth" || t === "categorical")) this.primary_ = inner;
    this.syncLegend_();
  };

  /* The invisible units lie on the map only while no polygon layer answers hover and click. */
  proto.syncHit_ = function () {
    var self = this;
    var answered = this.layers.some(function (l) {
      return (l.sgSpec.type === "choropleth" || l.sgSpec.type === "categorical") && self.map.hasLayer(l);
    });
    if (!answered && !this.hit) this.addHit_();
    if (this.hit) {
      if (answered && this.map.hasLayer(this.hit)) this.map.removeLayer(this.hit);
      if (!answered && !this.map.hasLayer(this.hit)) this.hit.addTo(this.map);
    }
  };
})(window.SerangAtlas);
