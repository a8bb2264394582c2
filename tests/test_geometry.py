"""core.geometry helpers that are not the coverage cleaning (tests/test_coverage_*.py): the leader lines' start."""


def test_leader_exit_is_where_the_line_from_the_centre_leaves_the_padded_box():
    from serang_gis.core.geometry import leader_exit

    assert leader_exit((0, 0, 10, 4), (20, 2), 1) == (11.0, 2.0)  # straight right: the box's right side plus the pad
    x, y = leader_exit((0, 0, 10, 4), (5 + 30, 2 + 30), 1)  # up and right: the top side (3 from the centre) comes first
    assert (x, y) == (8.0, 5.0)
    assert leader_exit((0, 0, 10, 4), (10.5, 3), 1) is None  # the end inside the padded box: no clipping
    assert leader_exit((3, 3, 3, 3), (20, 20), 1) is None  # an empty box
