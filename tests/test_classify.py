"""core.classify: choropleth classes (most of their behaviour is checked through the maps, tests/test_maps.py)."""


def test_tied_values_give_fewer_classes_without_a_library_warning_on_stderr(recwarn):
    """Walk adv12 L4: mapclassify's "Not enough unique values ... Setting k to 4" reached the user's terminal; the legend
    already shows the classes there are."""
    from serang_gis.core.classify import classify

    c = classify([1, 1, 1, 1, 1, 1, 2, 2, 3, 4], "quantiles", k=5)
    assert len(c.labels) == len(c.breaks) + 1 < 5 and sum(c.counts) == 10
    assert not [w for w in recwarn if "unique values" in str(w.message)]
