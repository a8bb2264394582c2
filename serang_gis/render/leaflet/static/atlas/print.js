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
    // Leaflet names its popup close button in English ("Close popup"): the page's language instead
    this.map.on("popupopen", function (e) {
      var close = e.popup.getElement() && e.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close && self.t.close_popup) { close.setAttribute("aria-label", self.t.close_popup); close.title = self.t.close_popup; }
    });
    global.addEventListener("beforeprint", function () { self.preparePrint(true); });
    global.addEventListener("afterprint", function () { self.preparePrint(false); });
    if (global.matchMedia) {
      var mq = global.matchMedia("print");
      var on = function (e) { self.preparePrint(e.matches); };
      if (mq.addEventListener) mq.addEventListener("change", on); else if (mq.addListener) mq.addListener(on);
    }
  };
})(window.SerangAtlas, window);
