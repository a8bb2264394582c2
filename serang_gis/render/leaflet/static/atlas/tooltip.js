/* serang-gis map runtime, part 3 (tooltip): the unit under the pointer, and the fields the shown layers say. */
(function (A) {
  "use strict";
  var esc = A.esc, proto = A.Atlas.prototype;

  /* The fields a tooltip shows: the hovered layer's, the shown period of each group, then the others
   * (P.tooltip: the payload leaves out a field of a period and the group's own latest-value column). */
  proto.tooltipKeys_ = function (spec) {
    var self = this, keys = [];
    var add = function (k) { if (k && self.fieldByKey_[k] && keys.indexOf(k) < 0) keys.push(k); };
    if (spec && spec.field) add(spec.field);
    this.P.layers.forEach(function (s) { if (s.group && self.visible(s)) add(s.field); });
    this.P.tooltip.forEach(add);
    return keys;
  };

  /* Rows of label and text; a value carries the caveat the plan put on it (too few measured, partial sum), its own
   * period where the field's units differ in it ("29 balita (2023)" beside "51 balita (2024-07)", an ODF date), and a
   * line under it where the payload has one ("4 dari 6 kelurahan melapor"). */
  proto.tooltip = function (i, spec) {
    var self = this, rows = [[this.t.unit_name, this.col("nama", i)]];
    if (this.P.cols.kec) rows.push([this.t.kecamatan, this.col("kec", i)]);
    this.tooltipKeys_(spec).forEach(function (k) {
      var f = self.fieldByKey_[k], extra = f.extra_col ? self.col(f.extra_col, i) : null;
      var per = f.period_col && self.col(k, i) != null ? self.col(f.period_col, i) : null;
      rows.push([f.label, self.col(f.tip_col || f.text_col, i) + (per ? " (" + per + ")" : "")]);
      if (extra) rows.push(["", extra]);
    });
    return "<table class='sg-tip'>" + rows.map(function (r) {
      return "<tr><th>" + esc(r[0]) + "</th><td>" + esc(r[1]) + "</td></tr>";
    }).join("") + "</table>";
  };
})(window.SerangAtlas);
