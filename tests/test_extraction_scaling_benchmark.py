"""benchmarks/extraction_scaling.py: the table it prints and the arguments it refuses."""

from __future__ import annotations

import pytest

from benchmarks.extraction_scaling import LINES, main, scaling_table


def test_table_has_a_row_per_line_with_every_size_and_step():
    table = scaling_table([2, 4, 8], repeats=1).splitlines()
    # header, separator, then one row per pathological line
    assert len(table) == 2 + len(LINES)
    assert table[0].split(" | ")[1:] == ["chars at 8", "2 (s)", "4 (s)", "8 (s)", "x 2->4",
                                       "x 4->8 |"]
    for row, name in zip(table[2:], LINES, strict=True):
        cells = row.strip("| ").split(" | ")
        assert cells[0] == name
        assert len(cells) == 1 + 1 + 3 + 2
        assert cells[1] == f"{8 * len(LINES[name]):,}"  # the largest article: 8 repeats of the line
        assert all(float(c) >= 0 for c in cells[2:5])


@pytest.mark.parametrize("argv", [["--sizes", "4", "2"], ["--sizes", "4"], ["--sizes", "0", "2"],
                                  ["--repeats", "0"]])
def test_bad_arguments_are_refused(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "must be" in capsys.readouterr().err
