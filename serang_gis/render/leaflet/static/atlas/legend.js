/* serang-gis map runtime, part 2 (legend): one block per layer, as the payload gives it (title, items in
 * order, note), shown while its layer is on, in the order of the layers. */
(function (A) {
  "use strict";
  var el = A.el, attr = A.attr, each = A.each, qsa = A.qsa, listen = A.listen, proto = A.Atlas.prototype;

  /* The colour a fill of ``s`` renders: its colour at the layer's opacity over the map's background. */
  proto.shownColor_ = function (color, s) {
    var op = s ? A.FILL_OPACITY[s.type] : undefined;
    if (op === undefined) return color;
    if (!this.background) this.background = getComputedStyle(this.map.getContainer()).backgroundColor;
    return A.blend(color, op, this.background);
  };

  /* The legend block of a layer: ``L`` = {title, items: [{kind: fill | hatch | line | circle, label, color, cls, dash, size}], note};
   * ``s``: the layer (a fill's swatch is painted as its polygons are; a 3 x 3 grid and a list of units where it has them). */
  proto.legend = function (id, L, s) {
    if (L) this.later(function () { this.legendBlock_(id, L, s); this.attachLegend_(id); this.syncLegend_(); });  // after the first polygons
  };

  proto.legendBlock_ = function (id, L, s) {
    var self = this, block = el("div", "sg-legend-block");
    attr(block, "data-layer", id);
    el("div", "sg-legend-title", block, L.title);
    if (s && s.grid) this.legendGrid_(block, s);
    if (s && s.gap) this.unitList_(block, s.gap);
    L.items.forEach(function (it) {
      if (s && s.grid && it.cls !== undefined && it.cls !== null && it.cls >= 0) return;  // in the grid
      var row = el("div", "sg-legend-item", block), sw = el("span", "sg-sw", row);
      attr(row, "data-class", it.cls === undefined || it.cls === null ? "" : it.cls);
      if (it.kind === "line") {
        sw.className = "sg-sw sg-line"; sw.style.borderTop = (it.weight || 3) + "px " + (it.dash ? "dashed " : "solid ") + it.color;
      } else if (it.kind === "circle") {
        sw.className = "sg-sw sg-circle"; sw.style.width = it.size + "px"; sw.style.height = it.size + "px"; sw.style.background = it.color;
      } else if (it.kind === "hatch") {
        sw.className = "sg-sw sg-hatch-sw";
      } else {
        sw.style.background = self.shownColor_(it.color, s);
        attr(sw, "data-color", it.color);
        if (it.hatch) sw.classList.add("sg-sw-hatched");  // its polygons carry the hatch too (no data on the need x spending layer)
      }
      row.appendChild(document.createTextNode(it.label));
    });

    if (L.note) el("div", "sg-legend-note", block, L.note);
    this.legendBlocks[id] = block;
  };

  /* A 3 x 3 grid: need from high (top) to low, spending from low (left) to high; each cell its colour, its words
   * (read by screen readers, and on hover with the ranges). */
  proto.legendGrid_ = function (block, s) {
    var self = this, g = s.grid, table = el("table", "sg-grid", el("div", "sg-grid-wrap", block));
    attr(table, "aria-label", s.name);
    var head = el("tr", "", table);
    el("td", "", head);
    // no-break spaces: an arrow never goes to a line of its own ("Belanja" then "→" below it)
    var axis = el("th", "sg-grid-axis", head, g.need + "\u00a0\u2193 / " + g.spend + "\u00a0\u2192");
    attr(axis, "colspan", "3");
    if (g.rule) {  // how the levels are made: on hover of the axis, and read by screen readers (the heads give the amounts)
      axis.title = g.rule;
      table.insertBefore(el("caption", "sg-visually-hidden", null, g.rule), table.firstChild);
    }
    var cols = el("tr", "", table);
    el("td", "", cols);
    g.cols.forEach(function (c) { attr(el("th", "sg-grid-axis", cols, c), "scope", "col"); });
    g.rows.forEach(function (row) {
      var tr = el("tr", "", table);
      attr(el("th", "sg-grid-axis", tr, row.level), "scope", "row");
      row.cells.forEach(function (c) {
        var td = el("td", "sg-grid-cell", tr);
        td.style.background = self.shownColor_(c.color, s);
        attr(td, "data-class", c.cls); attr(td, "data-color", c.color);
        td.title = c.label || c.words;
        el("span", "sg-visually-hidden", td, c.words);
      });
    });
  };

  /* Units named in a legend ("kebutuhan tinggi, belanja rendah: 4 kelurahan"): each a button that opens its profile. */
  proto.unitList_ = function (block, gap) {
    var self = this, box = el("div", "sg-unit-list", block);
    el("div", "sg-legend-title", box, gap.title);
    var ul = el("ul", "", box);
    gap.units.forEach(function (i, k) {
      var li = el("li", "", ul), b = el("button", "sg-unit-link", li, self.col("nama", i) + (self.P.cols.kec ? " (" + self.col("kec", i) + ")" : ""));
      b.type = "button"; attr(b, "data-index", i);
      listen(b, "click", function () { self.focus(i); });
      if (gap.more && k >= gap.shown) li.hidden = true;
    });
    if (!gap.more) return;  // a long list: its first names, then a button that shows the rest ("+4 lainnya")
    var more = el("button", "sg-unit-more", el("li", "", ul), gap.more);
    more.type = "button";
    listen(more, "click", function () {
      each(ul.children, function (li) { li.hidden = false; });
      more.parentNode.hidden = true;
      var next = qsa(ul, ".sg-unit-link")[gap.shown];
      if (next) next.focus();
    });
  };

  proto.syncLegend_ = function () {
    var self = this, any = false;
    this.layers.forEach(function (layer) {
      var block = self.legendBlocks[layer.sgSpec.id];
      if (!block) return;
      var on = self.map.hasLayer(layer);
      block.style.display = on ? "" : "none";
      any = any || on;
    });
    if (this.legendDiv_) this.legendDiv_.style.display = any ? "" : "none";
  };

  /* A layer's legend block goes into the legend in the order of the layers. */
  proto.attachLegend_ = function (id) {
    var block = this.legendBlocks[id], body = this.legendBody_;
    if (!block || !body || block.parentNode === body) return;
    var after = null, seen = false, self = this;
    this.layers.forEach(function (l) {
      var b = self.legendBlocks[l.sgSpec.id];
      if (l.sgSpec.id === id) seen = true;
      else if (seen && !after && b && b.parentNode === body) after = b;
    });
    body.insertBefore(block, after);
  };

  proto.legendControl_ = function () {
    var self = this, map = this.map;
    var ctl = L.control({position: "bottomright"});
    ctl.onAdd = function () {
      var div = L.DomUtil.create("div", "sg-legend");
      var btn = el("button", "sg-legend-toggle", div, self.t.legend);
      btn.type = "button";
      var body = el("div", "sg-legend-body", div);
      body.id = "sg-legend-body";
      body.tabIndex = 0; attr(body, "role", "region"); attr(body, "aria-label", self.t.legend);  // scrolls by keyboard
      attr(btn, "aria-controls", body.id);
      var open = function (on) {
        attr(btn, "aria-expanded", on ? "true" : "false");
        div.classList.toggle("sg-collapsed", !on);
      };
      open(!self.phone);
      listen(btn, "click", function () { open(btn.getAttribute("aria-expanded") !== "true"); });
      self.legendBody_ = body;
      self.layers.forEach(function (layer) { self.attachLegend_(layer.sgSpec.id); });
      L.DomEvent.disableClickPropagation(div); L.DomEvent.disableScrollPropagation(div);
      self.legendDiv_ = div; self.openLegend_ = open;
      return div;
    };
    ctl.addTo(map);
    this.syncLegend_();
  };
})(window.SerangAtlas);
