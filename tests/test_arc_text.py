"""core.geometry: the arcs' text encoding (encode_steps, the one encoder; encode_ints and encode_arc call it) against a
character-at-a-time reference written here from the format's description, and read back (decode_ints)."""

import numpy as np
import pytest

from serang_gis.core.geometry import ARC_ALPHABET, decode_ints, encode_arc, encode_ints, encode_steps


def _reference(values) -> str:
    """The format as documented: zigzag (0, -1, 1, -2 ... -> 0, 1, 2, 3 ...), 5 bits a character, low bits first, 32
    added while more characters follow."""
    out = []
    for v in values:
        z = -2 * v - 1 if v < 0 else 2 * v
        while True:
            chunk, z = z % 32, z // 32
            out.append(ARC_ALPHABET[chunk + (32 if z else 0)])
            if not z:
                break
    return "".join(out)


@pytest.mark.parametrize("scale", [1, 16, 17, 1000, 10**6, 2**40, 2**61])
def test_the_encoder_writes_the_documented_text_and_it_reads_back(scale):
    values = np.random.default_rng(scale % 97).integers(-scale, scale + 1, 500)
    values[:4] = [0, -1, scale, -scale]
    text = encode_steps(values)
    assert text == _reference(values.tolist()) == encode_ints(values.tolist())
    assert decode_ints(text) == values.tolist()


def test_runs_cut_where_asked_are_each_their_own_text():
    runs = [np.array([5, -3, 0, 0]), np.array([], dtype=np.int64), np.array([100000, -1])]
    cuts = np.cumsum([len(r) for r in runs])[:-1]
    assert encode_steps(np.concatenate(runs), cuts=cuts) == [_reference(r.tolist()) for r in runs]
    assert encode_steps(np.array([], dtype=np.int64), cuts=[0, 0]) == ["", "", ""]


def test_an_arc_is_its_points_steps_in_order():
    arc = [[3, -4], [0, 17], [-16, 0]]
    assert encode_arc(arc) == _reference([3, -4, 0, 17, -16, 0])
