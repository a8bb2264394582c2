"""core.geometry: the arcs' text encoding, with numpy (encode_steps) and in Python (encode_ints), is one encoding."""

import numpy as np
import pytest

from serang_gis.core.geometry import decode_ints, encode_ints, encode_steps


@pytest.mark.parametrize("scale", [1, 16, 17, 1000, 10**6, 2**40, 2**61])
def test_numpy_and_python_write_the_same_text_and_it_reads_back(scale):
    values = np.random.default_rng(scale % 97).integers(-scale, scale + 1, 500)
    values[:4] = [0, -1, scale, -scale]
    text = encode_steps(values)
    assert text == encode_ints(values.tolist())
    assert decode_ints(text) == values.tolist()


def test_runs_cut_where_asked_are_each_their_own_text():
    runs = [np.array([5, -3, 0, 0]), np.array([], dtype=np.int64), np.array([100000, -1])]
    cuts = np.cumsum([len(r) for r in runs])[:-1]
    assert encode_steps(np.concatenate(runs), cuts=cuts) == [encode_ints(r.tolist()) for r in runs]
    assert encode_steps(np.array([], dtype=np.int64), cuts=[0, 0]) == ["", "", ""]
