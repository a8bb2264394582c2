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
