"""cli.options: the summary's two columns."""

from serang_gis.cli.options import LABEL_WIDTH, echo_rows


def test_a_long_label_has_its_value_on_the_next_line_under_the_column(capsys):
    echo_rows([("Kecamatan", "6"), ("Kel. berdata kasus 2023, 2024-06, 2024-07", "15")])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "  " + "Kecamatan".ljust(LABEL_WIDTH) + " 6"
    assert lines[1] == "  Kel. berdata kasus 2023, 2024-06, 2024-07"  # the count does not run on after the periods
    assert lines[2] == "  " + " " * LABEL_WIDTH + " 15"
    assert lines[2].index("15") == lines[0].index("6")  # under the column of values
