/* serang-gis map runtime, part 4 (profile): a unit's every field with its source and period, in a popup. */
(function (A) {
  "use strict";
  var el = A.el, attr = A.attr, qs = A.qs, listen = A.listen, linkify = A.linkify, proto = A.Atlas.prototype;

  proto.profile = function (i) {
    var self = this, div = el("div", "sg-profile");
    attr(div, "tabindex", "0");  // scrollable by keyboard
    el("h2", "sg-profile-name", div, this.col("nama", i));
    var sub = [this.col("kode", i)];
    if (this.P.cols.kec) sub.push(this.t.kecamatan + " " + this.col("kec", i));
    el("div", "sg-sub", div, sub.join(" · "));
    var table = el("table", "", div), same = this.sameRows_(i);
    this.profileKeys_().forEach(function (k) {
      var f = self.fieldByKey_[k];
      if (!f || same.hidden[k]) return;
      var tr = el("tr", "", table), td;
      if (f.kind === "list") {  // its heading (with the count), then one item per line of the text, each inserted as text
        var v = self.col(k, i), items = String(v === null || v === undefined ? "" : v).split("\n").filter(function (x) { return x; });
        attr(el("th", "", tr, self.valueText(k, i)), "colspan", "2");
        var ul = el("ul", "sg-list", el("td", "", el("tr", "", table)));
        attr(ul.parentNode, "colspan", "2");
        items.forEach(function (x) { el("li", "", ul, x); });
        return;
      }
      attr(el("th", "", tr, f.label), "scope", "row");
      td = el("td", "", tr, self.valueText(k, i));
      var src = self.sourceText(k, i);
      if (src) linkify(el("div", "sg-src", td), src);
      same.also[k].forEach(function (o) {  // the same count from other sources: one row, which names them and their sources
        var of = self.fieldByKey_[o], osrc = self.sourceText(o, i);
        el("div", "sg-src sg-same", td, self.t.same_count.replace("{names}", of.label + (osrc ? " (" + osrc + ")" : "")));
      });
    });
    return div;
  };

  /* Fields that give one count (``same``: balita stunting as computed, as given, as reported) and agree for unit i: the first
   * shown keeps the row, the others are hidden and named under it (with their source and period). A row of a period
   * (``era``) is hidden only under a row of the same period: the other periods keep their rows. */
  proto.sameRows_ = function (i) {
    var self = this, out = {hidden: {}, also: {}}, keepers = {};
    this.profileKeys_().forEach(function (k) {
      var f = self.fieldByKey_[k], v = self.col(k, i);
      out.also[k] = [];
      if (!f || !f.same) return;
      var none = v === null || v === undefined;  // no data in either: one row says so ("tidak ada data" once, not twice)
      var key = f.same + "|" + (none ? "\u0000" : v), list = keepers[key] = keepers[key] || [];
      var keep = list.filter(function (o) { return !f.era || self.fieldByKey_[o].era === f.era; })[0];
      if (keep) { out.hidden[k] = true; if (!none) out.also[keep].push(k); } else list.push(k);
    });
    return out;
  };

  /* The fields of a profile: the chosen layer of each group first (its figure leads), then the fields of the chosen period
   * (``era``), then those of no period, then the other periods' (their labels name the period). */
  proto.profileKeys_ = function () {
    var self = this, first = [], eras = [];
    this.P.layers.forEach(function (s) {
      if (!s.group || !self.visible(s) || !s.field || !self.fieldByKey_[s.field]) return;
      if (first.indexOf(s.field) < 0) first.push(s.field);
      var era = self.fieldByKey_[s.field].era;
      if (era && eras.indexOf(era) < 0) eras.push(era);
    });
    var rest = this.P.profile.filter(function (k) { return first.indexOf(k) < 0 && self.fieldByKey_[k]; });
    var rank = function (k) { var e = self.fieldByKey_[k].era; return !e ? 1 : eras.indexOf(e) >= 0 ? 0 : 2; };
    return first.concat([0, 1, 2].reduce(function (acc, r) { return acc.concat(rest.filter(function (k) { return rank(k) === r; })); }, []));
  };

  proto.bindProfile_ = function (l, i) {
    var self = this;
    l.bindPopup(function () { return self.profile(i); },
                {maxWidth: this.popupWidth(), minWidth: Math.min(240, this.popupWidth()), autoPan: false, className: "sg-popup"});
  };

  /* Keyboard: a profile takes the focus when it opens, Escape closes it, and the focus goes back where it was
   * (the search box, a legend's list) or to the map. */
  proto.popupFocus_ = function () {
    var self = this, map = this.map;
    map.on("popupopen", function (e) {
      var node = e.popup.getElement(), active = document.activeElement;
      self.returnFocus_ = active && active !== document.body && !(node && node.contains(active)) ? active : null;
      var close = node && qs(node, ".leaflet-popup-close-button");
      // Leaflet names its close button in English ("Close popup"): the page's language instead
      if (close) { attr(close, "aria-label", self.t.close_popup); close.title = self.t.close_popup; }
      var prof = node && qs(node, ".sg-profile");
      if (prof && self.returnFocus_) prof.focus({preventScroll: true});  // opened from the keyboard or a control
    });
    map.on("popupclose", function (e) {
      var node = e.popup.getElement(), active = document.activeElement, back = self.returnFocus_;
      self.returnFocus_ = null;
      if (active && active !== document.body && !(node && node.contains(active))) return;  // the user went elsewhere
      if (back && document.contains(back) && back.offsetParent !== null) back.focus({preventScroll: true});
      else map.getContainer().focus({preventScroll: true});
    });
    listen(document, "keydown", function (ev) {
      if (ev.key !== "Escape" || !self.popup || !self.popup.isOpen()) return;
      map.closePopup();
      ev.preventDefault();
    });
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
