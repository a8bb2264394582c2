/* serang-gis map runtime, for pages with folded lists (an office page's factors, activities, lokus) only: while
 * printing, the lists follow the legend in the side column and, when the column is still too long at the smallest
 * list font, the longest list loses its last lines and ends "dan N lainnya (lihat halaman)" (print.js calls these when
 * present; other pages do not carry them). */
(function (A) {
  "use strict";
  var qs = A.qs, qsa = A.qsa, el = A.el, mapList = A.mapList, proto = A.Atlas.prototype;

  /* The title box's folded lists moved to the end of ``side``; each with its home, to put back (printUncut). */
  proto.printPanels = function (side) {
    return this.title ? mapList(qsa(this.title.el, ".sg-panel"), function (d) {
      var home = [d.parentNode, d.nextSibling];
      d.style.marginTop = "3px";
      side.appendChild(d);
      return {el: d, home: home};
    }) : [];
  };

  /* Lines of the folded lists hidden, one at a time from the list with the most lines shown, until ``fits``; true if it does. */
  proto.printCut = function (fits) {
    var self = this, lists = (this.printing.panels || []).map(function (p) {
      var ul = qs(p.el, "ul");
      return {ul: ul, items: ul ? mapList(ul.children, function (li) { return li; }) : [], shown: 0, more: null};
    }).filter(function (l) { return l.items.length; });
    lists.forEach(function (l) { l.shown = l.items.length; });
    while (!fits()) {
      var longest = lists.slice().sort(function (a, b) { return b.shown - a.shown; })[0];
      if (!longest || !longest.shown) return false;
      longest.shown -= 1;
      longest.items[longest.shown].hidden = true;
      if (!longest.more) {
        longest.more = el("li", "sg-print-more", longest.ul);
        longest.more.style.fontStyle = "italic";
        (this.printing.cut = this.printing.cut || []).push(longest);
      }
      longest.more.textContent = self.t.print_more.replace("{n}", longest.items.length - longest.shown);
    }
    return true;
  };

  /* The lists as they were before printing: every line shown, no "dan N lainnya" line. */
  proto.printUncut = function () {
    (this.printing && this.printing.cut || []).forEach(function (l) {
      l.items.forEach(function (li) { li.hidden = false; });
      if (l.more && l.more.parentNode) l.more.parentNode.removeChild(l.more);
    });
  };
  /* and the lists back in the title box, in their order */
  var uncut = proto.printUncut;
  proto.printUncut = function () {
    uncut.call(this);
    ((this.printing && this.printing.panels) || []).slice().reverse().forEach(function (p) {
      p.el.style.marginTop = "";
      p.home[0].insertBefore(p.el, p.home[1]);
    });
  };
})(window.SerangAtlas);
