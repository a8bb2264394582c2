/* serang-gis map runtime, part 8 (main): build a map from its payload, one task at a time while the page loads. */
(function (A, global) {
  "use strict";
  var esc = A.esc, attr = A.attr, qs = A.qs, PANES = A.PANES, nextTask = A.nextTask, proto = A.Atlas.prototype;

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
      if (!b.url) self.plainBase_ = layer;
    });
    this.bases = bases;
    var shownGroups = {}, named = {};
    P.layers.forEach(function (s) {
      var wrap = L.featureGroup([]);  // filled when first shown (or after the shown ones are drawn)
      wrap.sgSpec = s;
      wrap.on("add", function () { self.realize(wrap); });
      self.overlays[s.id] = wrap; self.layers.push(wrap);
      var name = esc(s.name);  // Leaflet's layer list writes names as markup: escaped here
      while (named[name]) name += " ";  // two layers of one name stay two entries
      named[name] = wrap;
      var key = self.exclusiveKey(s);
      wrap.sgShow = s.show !== false && !(key && shownGroups[key]);  // a missing show: shown (packing.py)
      if (wrap.sgShow && key) shownGroups[key] = s;
    });
    this.loading = true; this.pending_ = [];
    // This first task (the page's first after its scripts) ends with polygons on the map: the title in its final form,
    // the view fitted below it (one layout), the first chunk of the first shown layer. Everything else comes after, one
    // task each: the basemap (its tiles cost the first frame a lot), the rest of that layer, the controls, other layers.
    this.titleBox_();
    var firstShown = this.layers.filter(function (l) { return l.sgShow; })[0];
    if (firstShown) firstShown.addTo(map);  // its features go to the pending tasks, in chunks
    this.periodControl_();
    this.startShown_ = shownGroups;
    Object.keys(shownGroups).forEach(function (g) { self.followTitle_(shownGroups[g]); });
    var bb = topojson.bbox(P.topo);
    this.bounds = L.latLngBounds([bb[1], bb[0]], [bb[3], bb[2]]);
    if (this.bounds.isValid()) map.fitBounds(this.bounds, this.fitOptions());
    if (this.pending_.length) this.pending_.shift().call(this);
    this.pending_.unshift(function () {  // tiles are asked for early (the network is slow), after the first polygons
      this.tileFallback_();  // before the first tile can fail
      (first || bases[Object.keys(bases)[0]]).addTo(map);
    });
    this.later(function () {
      L.control.scale({imperial: false}).addTo(map);  // kilometres and metres only: a planner in Indonesia reads no miles
      var inset = this.topInset_();
      this.legendControl_();
      this.layout();
      if (this.bounds.isValid() && this.topInset_() !== inset) map.fitBounds(this.bounds, this.fitOptions());
      map.on("resize", function () { self.layout(); });
      this.rememberView_();  // before the handler that pans: the view as the user left it
      map.on("popupopen", function (e) {
        self.popup = e.popup;
        document.documentElement.classList.add("sg-popup-open");  // phones: the profile takes the place of the top controls
        map.eachLayer(function (l) { if (l.closeTooltip) l.closeTooltip(); });  // a tap leaves no stale tooltip beside it
        self.keepPopupInView_(e.popup);
        self.watchPopup_(e.popup);  // and again when its size changes (a profile reaching full height after this first layout)
      });
      map.on("popupclose", function (e) {
        if (self.popup === e.popup) self.popup = null;
        document.documentElement.classList.remove("sg-popup-open");
        if (self.popupObserver_) { self.popupObserver_.disconnect(); self.popupObserver_ = null; }
      });
      this.printSetup_();
    });
    this.later(function () {
      map.attributionControl.addAttribution(esc(P.attribution));
      var prefix = map.attributionControl.options.prefix;  // Leaflet's link is titled in English: the title goes, the name stays
      if (typeof prefix === "string") map.attributionControl.setPrefix(prefix.replace(/\s+title="[^"]*"/, ""));
      this.layerNames_ = named;
      this.layerList_(this.phone);
      map.on("overlayadd", function (e) { self.onShown_(e.layer); });
      map.on("overlayadd overlayremove", function () { self.syncLegend_(); self.syncHit_(); self.syncPeriods_(); });
    });
    this.later(function () {
      this.searchControl_(); this.fullscreenControl_(); this.printControl_(); this.zoomLabels_();
      this.popupFocus_();  // it needs the search box
      this.layout();
    });
    // one layer per task: the page paints and answers between them (first paint, total blocking time)
    var queue = this.layers.filter(function (l) { return l.sgShow && l !== firstShown; }).concat(this.layers.filter(function (l) { return !l.sgShow; }));
    var step = function () {
      if (self.pending_.length) { self.pending_.shift().call(self); nextTask(step); return; }
      var layer = queue.shift();
      if (!layer) {
        self.loading = false;
        if (self.foldLayerList_()) self.layout();  // the legend takes the height the open list took
        self.layoutSettled_ = true;
        self.syncHit_();
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
