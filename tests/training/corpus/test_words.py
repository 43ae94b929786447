"""Label shares of statements containing a word (known answers), and the writers' batch line."""

from training.corpus.check import check_files
from training.corpus.words import shares, table

UNITS = [("sanctions will stay", "pressure"), ("the sanctions hurt", "neutral"),
         ("talks resume", "dialogue"), ("more sanctions now", "pressure")]


def test_shares_count_substring_matches():
    # "sanction" is in three units: two pressure, one neutral
    n, share = shares(UNITS, "sanction")
    assert n == 3 and share == {"neutral": 1 / 3, "dialogue": 0.0, "pressure": 2 / 3}
    assert shares(UNITS, "missile") == (0, {"neutral": 0.0, "dialogue": 0.0, "pressure": 0.0})


def test_table_has_a_column_pair_per_set():
    text = table({"corpus": UNITS, "real news": UNITS[:2]}, ("sanction",))
    assert "| sanction | 3 | 33 / 0 / 67 | 2 | 50 / 0 / 50 |" in text


ARTICLE = """### id: t-00{n}
source: wire story
date: 2020-01-0{n}
dispute: yemen

ADEN - "[[We want talks||direct|dialogue|A]]," A said. B said [[it was late||indirect|neutral|B]].
"""


def test_check_prints_each_file_and_the_batch(tmp_path, capsys):
    paths = []
    for n in (1, 2):
        path = tmp_path / f"t-0{n}.txt"
        path.write_text(ARTICLE.format(n=n), encoding="utf-8")
        paths.append(path)
    assert check_files(paths) == 0
    out = capsys.readouterr().out
    assert out.count("1 articles, 2 units") == 2
    assert "all 2 files: 2 articles, 4 units" in out and "dialogue 50%, neutral 50%" in out
