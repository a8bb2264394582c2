/* serang-gis map runtime, part 6 (controls): the layer list (a group's layers exclusive), the title box that
 * follows the chosen layer, the layout around it, search, and the buttons. */
(function (A) {
  "use strict";
  var el = A.el, linkify = A.linkify, attr = A.attr, rect = A.rect, each = A.each, mapList = A.mapList, qs = A.qs, qsa = A.qsa, listen = A.listen, proto = A.Atlas.prototype;

  /* A layer was ticked: the layers it excludes go off (map and boxes), the title follows. */
  proto.onShown_ = function (layer) {
    var self = this, s = layer.sgSpec, key = s && this.exclusiveKey(s);
    if (!key) return;
    this.layers.forEach(function (other) {
      if (other === layer || self.exclusiveKey(other.sgSpec) !== key) return;
      if (self.map.hasLayer(other)) self.map.removeLayer(other);
    });
    this.syncInputs_();
    this.syncPeriods_();
    if (this.popup && this.popup.isOpen()) this.popup.update();  // an open profile leads with the chosen period
    this.followTitle_(s);
  };

  /* The period control: one select per group of two or more layers (the periods of an indicator, its changes), in the
   * title box, so the chosen period and its partial mark show at every size and are a few keys from the top. */
  proto.periodControl_ = function () {
    var self = this, groups = {};
    if (!this.title) return;
    this.layers.forEach(function (l) { var g = l.sgSpec.group; if (g) (groups[g] = groups[g] || []).push(l); });
    this.periodSelects_ = [];
    Object.keys(groups).forEach(function (g) {
      if (groups[g].length < 2) return;
      var label = el("label", "sg-period", null), sel = el("select", "", label);
      self.title.main.parentNode.insertBefore(label, self.title.main.nextSibling);
      attr(sel, "aria-label", self.t.period_choice);
      groups[g].forEach(function (l) {
        var o = el("option", "", sel, l.sgSpec.name);
        o.value = l.sgSpec.id;
      });
      listen(sel, "change", function () {
        var l = self.overlays[sel.value];
        if (l && !self.map.hasLayer(l)) self.map.addLayer(l);
      });
      self.periodSelects_.push({el: sel, layers: groups[g]});
    });
    this.syncPeriods_();
  };

  proto.syncPeriods_ = function () {
    var self = this;
    (this.periodSelects_ || []).forEach(function (p) {
      var on = p.layers.filter(function (l) { return self.map.hasLayer(l); })[0];
      if (on) p.el.value = on.sgSpec.id;
      p.el.parentNode.style.display = on ? "" : "none";  // another fill (ODF) chosen: no period to choose, none blank
    });
  };

  /* The boxes of the layer list show what is on the map. */
  proto.syncInputs_ = function () {
    var self = this, byStamp = {};
    this.layers.forEach(function (l) { byStamp[L.Util.stamp(l)] = l; });
    var inputs = qsa(this.layerControl_.getContainer(), "input.leaflet-control-layers-selector");
    each(inputs, function (input) {
      var layer = byStamp[input.layerId];
      if (layer) input.checked = self.map.hasLayer(layer);
    });
  };

  /* Ticking a layer of a group unticks the group's others before Leaflet reads the boxes (capture phase). */
  proto.exclusiveBoxes_ = function () {
    var self = this, byStamp = {}, container = this.layerControl_.getContainer();
    this.layers.forEach(function (l) { byStamp[L.Util.stamp(l)] = l; });
    listen(container, "click", function (ev) {
      var input = ev.target, layer = byStamp[input && input.layerId];
      var key = layer && self.exclusiveKey(layer.sgSpec);
      if (!layer || !input.checked || !key) return;
      each(qsa(container, "input.leaflet-control-layers-selector"), function (other) {
        var o = byStamp[other.layerId];
        if (o && o !== layer && self.exclusiveKey(o.sgSpec) === key) other.checked = false;
      });
    }, true);
  };

  /* Layers that exclude each other (the fills, the periods of a group) are radio buttons in the layer list: one name per
   * group, so they read and behave as a choice (arrow keys move within it); a layer alone in its group keeps its box. */
  proto.radioItems_ = function (ctl) {
    var self = this, addItem = ctl._addItem, size = {};
    this.P.layers.forEach(function (s) { var k = self.exclusiveKey(s); if (k) size[k] = (size[k] || 0) + 1; });
    ctl._addItem = function (obj) {
      var label = addItem.call(this, obj), s = obj.layer && obj.layer.sgSpec, key = s && self.exclusiveKey(s);
      var input = qs(label, "input");
      if (obj.overlay && key && size[key] > 1 && input) { input.type = "radio"; input.name = "sg-choice-" + key; }
      return label;
    };
  };

  proto.followTitle_ = function (s) {
    var box = this.title;
    if (!box) return;
    if (!this.titleDefault_) this.titleDefault_ = {title: box.main ? box.main.textContent : "", subtitle: box.sub ? box.sub.textContent : "",
                                                 sources: this.P.page_sources || null};
    var d = this.titleDefault_;
    var title = this.layerTitle_(s, d.title), subtitle = s.subtitle !== undefined && s.subtitle !== null ? s.subtitle : d.subtitle;
    if (box.main) box.main.textContent = title;
    if (box.sub) this.setText_(box.sub, subtitle);
    if (s.sources && box.list) {
      if (!d.sources) d.sources = mapList(box.list.children, function (li) { return li.textContent; });
      this.fillSources_(s.sources);
    } else if (d.sources && box.list) {
      this.fillSources_(d.sources);
    }
    if (s.title) document.title = s.title;
    this.layout();
  };

  /* The heading names the chosen layer: a period's own name (its year, its "sebagian" mark) whenever the indicator has
   * two periods, another fill's name when it replaces the one the page opened with ("Kekuatan sebagai lokus – Kota Serang"). */
  proto.layerTitle_ = function (s, title) {
    if (s.title) return s.title;
    var self = this, key = this.exclusiveKey(s), cut = title.indexOf(" \u2013 "), rest = cut >= 0 ? title.slice(cut) : "";
    var peers = key ? this.P.layers.filter(function (o) { return self.exclusiveKey(o) === key; }) : [];
    if (peers.length < 2 || !s.name) return title;
    var periods = s.group && this.P.layers.filter(function (o) { return o.group === s.group; }).length > 1;
    if (!periods && this.startShown_ && this.startShown_[key] === s) return title;
    return s.name + rest;
  };

  proto.fillSources_ = function (sources) {
    var list = this.title.list;
    while (list.firstChild) list.removeChild(list.firstChild);
    sources.forEach(function (s) { linkify(el("li", "", list), s); });
  };

  /* The title box (rendered in the page) comes first in the document: before search and the map. */
  proto.titleBox_ = function () {
    var box = qs(document, ".sg-title");
    if (!box) { this.title = null; return; }
    var container = this.map.getContainer();
    if (box.compareDocumentPosition(container) & Node.DOCUMENT_POSITION_PRECEDING) container.parentNode.insertBefore(box, container);
    this.title = {el: box, main: qs(box, ".sg-title-main"), sub: qs(box, ".sg-title-sub"),
                  list: qs(box, ".sg-sources:not(.sg-panel) ul")};  // the sources, not a page's panel (an office's factors)
    if (this.title.list) {  // sources: addresses become links
      each(this.title.list.children, function (li) {
        var text = li.textContent;
        if (!/https?:\/\//.test(text)) return;
        li.textContent = "";
        linkify(li, text);
      });
    }
    if (this.title.sub && /https?:\/\//.test(this.title.sub.textContent)) this.setText_(this.title.sub, this.title.sub.textContent);
  };

  proto.setText_ = function (node, text) {
    while (node.firstChild) node.removeChild(node.firstChild);
    linkify(node, text);
  };

  proto.topInset_ = function () {
    var mapBox = rect(this.map.getContainer());
    if (!this.title || !this.title.el.offsetParent) return 0;
    var r = rect(this.title.el);
    return Math.max(0, r.bottom - mapBox.top);
  };

  proto.fitOptions = function () {
    var top = this.topInset_();
    return {paddingTopLeft: [10, top + 10], paddingBottomRight: [10, 10]};
  };

  /* Controls at the top go below the title when they would meet it; the profile's height follows the screen. */
  proto.layout = function () {
    var container = this.map.getContainer(), top = this.topInset_();
    var corners = qsa(container, ".leaflet-top");
    each(corners, function (c) { c.style.top = ""; });
    if (this.title) {
      var t = rect(this.title.el), clash = false;
      each(qsa(container, ".leaflet-top .leaflet-control"), function (c) {
        var r = rect(c);
        if (r.left < t.right && r.right > t.left && r.top < t.bottom && r.bottom > t.top) clash = true;
      });
      if (this.search) {
        var s = rect(this.search);
        if (s.left < t.right && s.right > t.left && s.top < t.bottom && s.bottom > t.top) clash = true;
      }
      if (clash || this.phone) {
        each(corners, function (c) { c.style.top = top + "px"; });
      }
    }
    if (this.search) {
      var zoom = qs(container, ".leaflet-control-zoom"), cb = rect(container);
      var z = zoom ? rect(zoom) : {top: cb.top + 10, right: cb.left + 10};
      this.search.style.top = (z.top - cb.top) + "px";
      this.search.style.left = (z.right - cb.left + 8) + "px";
    }
    var h = this.map.getSize().y;
    container.style.setProperty("--sg-profile-h", Math.max(160, Math.min(h * (this.phone ? 0.55 : 0.7), h - top - 70)) + "px");
    // the legend (bottom right) takes the height below the controls at the top right (on a phone: their folded buttons), so
    // a long legend (the 3 x 3 grid and its list of kelurahan) is read without scrolling a box whose scrollbar does not show
    var right = qs(container, ".leaflet-top.leaflet-right"), cb2 = rect(container), below = top;
    if (this.search && this.phone && right) {  // a phone: the layer list (its button, the list when open) below the search box
      below = rect(this.search).bottom - cb2.top - 2;  // Leaflet's 10 px margin: 8 px apart
      right.style.top = below + "px";
    }
    var used = this.phone || !right ? below + 56 : rect(right).bottom - cb2.top;
    container.style.setProperty("--sg-legend-h", Math.max(120, h - used - 70) + "px");
  };

  /* The layer list: open beside the map on a desktop, folded behind its button on a phone (it opens on a tap, a click or
   * the pointer over it); built again folded when it was open (foldLayerList_). */
  proto.layerList_ = function (collapsed) {
    var old = this.layerControl_;
    if (old) old.remove();
    var ctl = this.layerControl_ = L.control.layers(this.bases, this.layerNames_, {collapsed: collapsed, position: "topright"});
    this.radioItems_(ctl);
    ctl.addTo(this.map);
    var toggle = qs(ctl.getContainer(), ".leaflet-control-layers-toggle");
    if (toggle) { toggle.title = this.t.layers; attr(toggle, "aria-label", this.t.layers); }
    attr(ctl.getContainer(), "aria-label", this.t.layers);
    this.exclusiveBoxes_();
    this.watchLayerList_();
  };

  /* Office walk 23b: on a desktop (1366 x 768) an office's list of eight factor layers, open, left the legend too little
   * height ("Tidak ada data", the reach and the lokus lines only seen by scrolling it) and lay over part of the city. Such
   * a long list is folded behind its button (the title box's select still switches the
   * factors). Looked at once, when every shown layer is drawn and its legend block in (the view fitted, the title box laid
   * out): never on a passing state of the load, nor later under the user's pointer. True if it folded the list. */
  proto.foldLayerList_ = function () {
    var ctl = this.layerControl_, body = this.legendBody_, legend = this.legendDiv_;
    if (this.phone || this.printing || this.layoutSettled_ || !ctl || ctl.options.collapsed) return false;
    var scrolls = !!body && legend.style.display !== "none" && !legend.classList.contains("sg-collapsed") && body.scrollHeight > body.clientHeight + 1;
    if (!scrolls) return false;
    this.layerList_(true);
    return true;
  };


  /* Our own auto-pan: the popup and the unit it belongs to stay between the title and the map's edges. */
  proto.keepPopupInView_ = function (popup) {
    var map = this.map, box = rect(map.getContainer()), node = popup.getElement();
    if (!node) return;
    var r = rect(node), top = this.topInset_() + 8, dx = 0, dy = 0;
    if (r.top - box.top < top) dy = r.top - box.top - top;
    else if (r.bottom > box.bottom - 8) dy = Math.min(r.bottom - box.bottom + 8, r.top - box.top - top);
    var right = box.right - 8;  // the layer list and the legend on the right: the popup (its close button) stays left of them
    each(qsa(map.getContainer(), ".leaflet-right .leaflet-control"), function (c) {
      var q = rect(c);
      if (q.width && q.top < r.bottom - dy && q.bottom > r.top - dy && q.left - 8 < right) right = Math.max(box.left + r.width + 16, q.left - 8);
    });
    var left = box.left + 8;  // the buttons at the top left (zoom, full screen, print): the popup stays right of them if it fits
    each(qsa(map.getContainer(), ".leaflet-top.leaflet-left .leaflet-control"), function (c) {
      var q = rect(c);
      if (q.width && q.top < r.bottom - dy && q.bottom > r.top - dy && q.right + 8 + r.width <= right) left = Math.max(left, q.right + 8);
    });
    if (r.left < left) dx = r.left - left;
    else if (r.right > right) dx = r.right - right;
    // the search box (top left, beside the zoom buttons) covers no profile: the popup goes below it or to its right,
    // whichever moves it less and keeps it on screen and clear of the right-hand controls
    var s = this.search && this.search.offsetParent !== null ? rect(this.search) : null;
    if (s && s.width && r.left - dx < s.right + 8 && r.right - dx > s.left - 8 && r.top - dy < s.bottom + 8 && r.bottom - dy > s.top - 8) {
      var down = r.top - dy - (s.bottom + 8), across = r.left - dx - (s.right + 8);
      var downFits = r.bottom - dy - down <= box.bottom - 8, acrossFits = r.right - dx - across <= right;
      if (downFits && (!acrossFits || down >= across)) dy += down; else dx += across;
    }
    if (dx || dy) {
      map.panBy([dx, dy], {animate: false});
      if (this.popupView_) this.popupView_.ours = map.getCenter();  // our pan: undone when the profile closes
    }
  };

  /* The view before a profile opened comes back when it closes, unless the user moved the map meanwhile: the pans that
   * made room for a tall profile (500 px down for a northern kelurahan) leave no city half off screen. */
  proto.rememberView_ = function () {
    var self = this, map = this.map;
    map.on("popupopen", function () {
      if (!self.popupView_) self.popupView_ = {center: map.getCenter(), zoom: map.getZoom(), ours: null};
    });
    map.on("popupclose", function () {
      var v = self.popupView_;
      self.popupView_ = null;
      if (!v || !v.ours || map.getZoom() !== v.zoom) return;
      var now = map.project(map.getCenter(), v.zoom), ours = map.project(v.ours, v.zoom);
      if (now.distanceTo(ours) <= 2) map.setView(v.center, v.zoom, {animate: false});
    });
  };

  /* A popup is kept in view again whenever its size changes while open (its profile reaching full height after the first
   * layout, fonts, a period chosen): kept in view only once, at opening, it could grow under the layer list or the title. */
  proto.watchPopup_ = function (popup) {
    var self = this, node = popup.getElement(), last = null;
    if (this.popupObserver_) this.popupObserver_.disconnect();
    this.popupObserver_ = null;
    if (!node || typeof ResizeObserver === "undefined") return;
    this.popupObserver_ = new ResizeObserver(function () {
      var r = rect(node), size = Math.round(r.width) + "x" + Math.round(r.height);
      if (size === last || !popup.isOpen()) return;
      last = size;
      self.keepPopupInView_(popup);
    });
    this.popupObserver_.observe(node);
  };

  /* The page's root says whether the layer list is open (phones: it opens below the search box, see layout). */
  proto.watchLayerList_ = function () {
    var c = this.layerControl_ && this.layerControl_.getContainer(), root = document.documentElement;
    if (!c || typeof MutationObserver === "undefined") return;
    var sync = function () { root.classList.toggle("sg-layers-open", c.classList.contains("leaflet-control-layers-expanded")); };
    new MutationObserver(sync).observe(c, {attributes: true, attributeFilter: ["class"]});
    sync();
  };

  /* A tile basemap whose tiles cannot load (no network, a page built without --offline): after a few errors and no
   * tile loaded, the plain background is chosen instead and a short note says so. */
  proto.tileFallback_ = function () {
    var self = this, map = this.map, plain = this.plainBase_;
    Object.keys(this.bases || {}).forEach(function (name) {
      var layer = self.bases[name], errors = 0, loaded = false;
      if (!layer.getTileUrl) return;
      layer.on("tileload", function () { loaded = true; });
      layer.on("tileerror", function () {
        errors += 1;
        if (loaded || errors < 4 || !map.hasLayer(layer)) return;
        map.removeLayer(layer);
        if (plain && !map.hasLayer(plain)) plain.addTo(map);
        if (self.layerControl_) self.layerControl_._update();  // its radio buttons show the plain background chosen
        self.tileNote_();
      });
    });
  };

  proto.tileNote_ = function () {
    if (this.tileNoteDiv_) return;
    var ctl = L.control({position: "bottomleft"}), self = this;
    ctl.onAdd = function () {
      var div = L.DomUtil.create("div", "sg-tile-note");
      attr(div, "role", "status");
      el("span", "", div, self.t.tiles_failed);
      var x = el("button", "sg-tile-note-close", div, "\u00d7");  // dismissed with a tap or a click: it covers the map's south
      x.type = "button"; x.title = self.t.close_note; attr(x, "aria-label", self.t.close_note);
      L.DomEvent.disableClickPropagation(div);
      listen(x, "click", function () { ctl.remove(); });
      return div;
    };
    ctl.addTo(this.map);
    this.tileNoteDiv_ = ctl.getContainer();
  };

  /* Search: a combobox before the map in the document (first tab stop after the title). Every word
   * typed must match the name, the kecamatan or the code: "sukawana curug". */
  proto.searchControl_ = function () {
    var self = this, container = this.map.getContainer();
    var div = el("div", "sg-search leaflet-bar");
    attr(div, "role", "search");
    var input = el("input", "", div);
    var list = el("ul", "sg-search-results", div);
    list.id = "sg-search-results"; attr(list, "role", "listbox"); attr(list, "aria-label", this.t.results);
    input.type = "search"; input.placeholder = this.t.search; attr(input, "aria-label", this.t.search);
    attr(input, "role", "combobox"); attr(input, "aria-autocomplete", "list");
    attr(input, "aria-controls", list.id); attr(input, "aria-expanded", "false"); input.autocomplete = "off";
    container.parentNode.insertBefore(div, container);
    L.DomEvent.disableClickPropagation(div); L.DomEvent.disableScrollPropagation(div);
    var hay = [];
    for (var i = 0; i < this.n; i++) {
      var code = String(this.col("kode", i));
      hay.push([String(this.col("nama", i)), this.P.cols.kec ? String(this.col("kec", i)) : "", code, code.replace(/\./g, "")]
        .join(" ").toLowerCase());
    }
    var active = -1;
    var hits = function () { return qsa(list, ".sg-search-hit"); };
    var setActive = function (k) {
      var h = hits();
      each(h, function (li, j) { attr(li, "aria-selected", j === k ? "true" : "false"); });
      active = k;
      if (k >= 0 && h[k]) { attr(input, "aria-activedescendant", h[k].id); h[k].scrollIntoView({block: "nearest"}); }
      else input.removeAttribute("aria-activedescendant");
    };
    var choose = function (li) {
      var i = +li.getAttribute("data-index");
      list.textContent = ""; attr(input, "aria-expanded", "false"); setActive(-1);
      self.focus(i);
    };
    listen(input, "input", function () {
      var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      list.textContent = ""; active = -1; input.removeAttribute("aria-activedescendant");
      if (!words.length || input.value.trim().length < 2) { attr(input, "aria-expanded", "false"); return; }
      for (var i = 0; i < self.n; i++) {
        var h = hay[i];
        if (!words.every(function (w) { return h.indexOf(w) >= 0; })) continue;
        var li = el("li", "sg-search-hit", list);
        li.textContent = self.col("nama", i) + (self.P.cols.kec ? " (" + self.t.kecamatan + " " + self.col("kec", i) + ")" : "") + " · " + self.col("kode", i);
        attr(li, "data-index", i); attr(li, "role", "option"); li.id = "sg-hit-" + i;
        attr(li, "aria-selected", "false");
        listen(li, "click", function (ev) { choose(ev.currentTarget); });
      }
      if (!list.children.length) { var none = el("li", "sg-search-none", list, self.t.not_found); attr(none, "role", "option"); }
      attr(input, "aria-expanded", "true");
    });
    listen(input, "keydown", function (ev) {
      var h = hits();
      if (ev.key === "ArrowDown" && h.length) { ev.preventDefault(); setActive((active + 1) % h.length); }
      else if (ev.key === "ArrowUp" && h.length) { ev.preventDefault(); setActive(active <= 0 ? h.length - 1 : active - 1); }
      else if (ev.key === "Enter" && h.length) { ev.preventDefault(); choose(h[active >= 0 ? active : 0]); }
      else if (ev.key === "Escape") { list.textContent = ""; attr(input, "aria-expanded", "false"); setActive(-1); }
    });
    this.search = div;
  };

  proto.button = function (cls, label, svg, onClick) {
    var ctl = L.control({position: "topleft"});
    ctl.onAdd = function () {
      var div = L.DomUtil.create("div", "leaflet-bar " + cls);
      var a = L.DomUtil.create("a", "", div);
      a.href = "#"; a.title = label; attr(a, "role", "button"); attr(a, "aria-label", label);
      a.innerHTML = svg;  // a constant icon, no data
      L.DomEvent.on(a, "click", function (ev) { L.DomEvent.preventDefault(ev); L.DomEvent.stopPropagation(ev); onClick(); });
      return div;
    };
    ctl.addTo(this.map);
    return ctl;
  };

  /* Leaflet's zoom buttons say what they do in the page's language. */
  proto.zoomLabels_ = function () {
    var container = this.map.getContainer(), t = this.t;
    [["leaflet-control-zoom-in", t.zoom_in], ["leaflet-control-zoom-out", t.zoom_out]].forEach(function (b) {
      var a = qs(container, "." + b[0]);
      if (a) { a.title = b[1]; attr(a, "aria-label", b[1]); }
    });
  };

  proto.fullscreenControl_ = function () {
    var self = this;
    this.button("sg-fullscreen", this.t.fullscreen, "<svg width='16' height='16' viewBox='0 0 16 16' aria-hidden='true'>" +
      "<path d='M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5' fill='none' stroke='#222' stroke-width='2'/></svg>", function () {
      var root = document.documentElement;
      if (document.fullscreenElement) document.exitFullscreen(); else if (root.requestFullscreen) root.requestFullscreen();
    });
    listen(document, "fullscreenchange", function () { self.map.invalidateSize(); self.layout(); });
  };
})(window.SerangAtlas);
