/* serang-gis map runtime, part 7 (print): the print button, and a page laid out for paper while printing.
 *
 * Printing (the button, or the browser's own print: 'beforeprint' and the print media query) lays the page out
 * as a grid of fixed size (atlas.css, html.sg-printing) that fits A4 landscape at every screen size: the map on
 * the left, a column on the right holding the title, period, sources, the legend (moved out of the map), an office
 * page's folded lists (cut to fit) and the date printed. Nothing lies over the map but the scale and the attribution
 * at its foot; the whole kab/kota is fitted to the map's box. Everything is put back afterwards. */
(function (A, global) {
  "use strict";
  var rect = A.rect, each = A.each, mapList = A.mapList, qsa = A.qsa, listen = A.listen, proto = A.Atlas.prototype;
  var SIDE_FONT = [11, 10, 9, 8, 7, 6];  // px: the side column shrinks until it fits the page's height
  var PANEL_FONT = 9;  // px: below it, the folded lists are cut to fit rather than printed smaller

  proto.printControl_ = function () {
    var self = this;
    this.button("sg-print", this.t.print, "<svg width='16' height='16' viewBox='0 0 16 16' aria-hidden='true'>" +
      "<path d='M4 6V1h8v5M4 12H1V6h14v6h-3M4 9h8v6H4z' fill='none' stroke='#222' stroke-width='1.6'/></svg>", function () {
      self.preparePrint(true); global.print();
    });
  };

  function isoDay(d) {
    var p = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate());
  }

  /* The right-hand column: the legend moved out of the map (its place remembered) and the date printed at its foot;
   * each period select gets its chosen period as plain words beside it (the select itself is not printed). */
  proto.printSide_ = function (on) {
    var was = this.printing;
    if (on) {
      var side = document.createElement("aside");
      side.className = "sg-print-side";
      if (this.legendDiv_) {
        was.legendHome = [this.legendDiv_.parentNode, this.legendDiv_.nextSibling];
        side.appendChild(this.legendDiv_);
      }
      // a page with folded lists (an office's factors, activities, lokus) moves them after the legend (panels.js, shipped
      // only in such pages): the legend is never the part pushed off the paper by them, and they are cut to fit
      was.panels = this.printPanels ? this.printPanels(side) : [];
      was.periodWords = (this.periodSelects_ || []).map(function (p) {  // the chosen period as words, not a form control
        var words = document.createElement("span"), o = p.el.options[p.el.selectedIndex];
        words.className = "sg-period-printed";
        words.textContent = o ? o.textContent : "";
        p.el.parentNode.insertBefore(words, p.el.nextSibling);
        return words;
      });
      var date = document.createElement("p");
      date.className = "sg-print-date";
      date.textContent = this.t.printed + " " + isoDay(new Date());
      side.appendChild(date);
      document.body.appendChild(side);
      was.side = side;
      return;
    }
    if (was.legendHome && was.legendHome[0]) was.legendHome[0].insertBefore(this.legendDiv_, was.legendHome[1]);
    if (this.printUncut) this.printUncut();
    if (was.side && was.side.parentNode) was.side.parentNode.removeChild(was.side);
    (was.periodWords || []).forEach(function (w) { if (w.parentNode) w.parentNode.removeChild(w); });
  };

  /* The side column fits the page's height, its last line (the date) above the map's foot: its text shrinks step by step;
   * at PANEL_FONT, if it still runs over, the longest folded list loses its last line, one at a time, and ends with
   * "dan N lainnya (lihat halaman)" (the legend, title, sources and date are never cut); then the text shrinks on. */
  proto.printFitSide_ = function () {
    var root = document.documentElement, foot = rect(this.map.getContainer()).bottom, side = this.printing.side;
    var fits = function () { return (side.lastChild ? rect(side.lastChild).bottom : 0) <= foot; };
    for (var k = 0; k < SIDE_FONT.length; k++) {
      root.style.setProperty("--sg-print-font", SIDE_FONT[k] + "px");
      if (fits()) return SIDE_FONT[k];
      if (SIDE_FONT[k] === PANEL_FONT && this.printCut && this.printCut(fits)) return SIDE_FONT[k];
    }
    return SIDE_FONT[SIDE_FONT.length - 1];
  };

  /* The whole kab/kota fitted to the map's printed box (fractional zoom: it fills the box), clear of the scale. */
  proto.printFit_ = function () {
    var map = this.map;
    map.invalidateSize({animate: false});
    if (!this.bounds || !this.bounds.isValid()) return;
    var snap = map.options.zoomSnap;
    map.options.zoomSnap = 0;
    map.fitBounds(this.bounds, {paddingTopLeft: [12, 12], paddingBottomRight: [12, 44], animate: false});
    map.options.zoomSnap = snap;
  };

  proto.preparePrint = function (on) {
    var map = this.map, root = document.documentElement;
    if (on) {
      if (this.printing) return;
      // the view as seen: the zoom and the place at the map's top left corner (a centre would be read with the map's size as
      // Leaflet last measured it, which can be stale by a few pixels on a phone; the corner does not depend on it)
      this.printing = {center: map.getCenter(), zoom: map.getZoom(), corner: map.containerPointToLatLng([0, 0]), legend: this.legendDiv_ && !this.legendDiv_.classList.contains("sg-collapsed"),
                       details: this.title ? mapList(qsa(this.title.el, "details"), function (d) { return d.open; }) : []};
      root.classList.add("sg-printing");
      if (this.openLegend_) this.openLegend_(true);
      if (this.title) each(qsa(this.title.el, "details"), function (d) { d.open = true; });
      map.closePopup();
      this.printSide_(true);
      this.printFitSide_();
      this.printFit_();
    } else if (this.printing) {
      var was = this.printing;
      this.printSide_(false);
      this.printing = null;
      root.classList.remove("sg-printing");
      root.style.removeProperty("--sg-print-font");
      if (this.openLegend_) this.openLegend_(was.legend);
      if (this.title) each(qsa(this.title.el, "details"), function (d, k) { d.open = !!was.details[k]; });
      this.printView_ = was;  // set again when the screen media is back ('afterprint' can come before it)
      this.printRestoreView_();
    }
  };

  /* The view before printing, exactly: the map's size is read again without panning (a pan keeps the centre only to a
   * rounded half pixel), the centre and zoom set, and set once more when the page has settled (a resize Leaflet noticed
   * late, the title box laid out again) unless the user has moved the map since. */
  proto.printRestoreView_ = function () {
    var self = this, map = this.map, was = this.printView_;
    if (!was || this.printing) return;
    var apply = function () {
      map.invalidateSize({animate: false, pan: false});
      map.setView(was.center, was.zoom, {animate: false});
      var off = map.latLngToContainerPoint(was.corner);  // the same place at the top left corner, to the pixel
      if (Math.round(off.x) || Math.round(off.y)) map.panBy(off, {animate: false});
      self.layout();
    };
    apply();
    var token = this.printRestoreToken_ = {}, moved = false, mark = function () { moved = true; };
    map.once("movestart zoomstart", mark);
    var again = function () {
      map.off("movestart zoomstart", mark);
      if (!moved && !self.printing && self.printRestoreToken_ === token) apply();
    };
    global.requestAnimationFrame(function () { global.requestAnimationFrame(again); });
  };

  proto.printSetup_ = function () {
    var self = this;
    listen(global, "beforeprint", function () { self.preparePrint(true); });
    listen(global, "afterprint", function () { self.preparePrint(false); });
    if (global.matchMedia) {
      var mq = global.matchMedia("print");
      var on = function (e) {
        self.preparePrint(e.matches);
        if (!e.matches) { self.printRestoreView_(); self.printView_ = null; }
      };
      if (mq.addEventListener) mq.addEventListener("change", on); else if (mq.addListener) mq.addListener(on);
    }
  };
})(window.SerangAtlas, window);
