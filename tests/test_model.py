"""The offset map keeps spans exact through normalisation and cleaning."""
from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.model import OffsetMap


@st.composite
def offset_maps(draw, max_runs=6):
    m = OffsetMap()
    d = o = 0
    for _ in range(draw(st.integers(0, max_runs))):
        n = draw(st.integers(1, 10))
        m.add(d, o, n)
        d += n + draw(st.sampled_from([0, 0, 1, 2]))
        o += n + draw(st.sampled_from([0, 1, 3]))
    return m


def test_runs_merge_when_the_shift_continues():
    m = OffsetMap()
    m.add(0, 5, 3)
    m.add(3, 8, 4)
    assert m.runs == [(0, 5, 7)]
    m.add(7, 20, 2)
    assert m.to_original(6) == 11 and m.to_original(7) == 20 and m.to_original(9) == 22


@settings(max_examples=300, deadline=None)
@given(offset_maps(), offset_maps())
def test_compose_equals_mapping_twice(outer, inner):
    composed = outer.compose(inner)
    for d, _, n in outer.runs:
        for i in range(d, d + n):
            assert composed.to_original(i) == inner.to_original(outer.to_original(i))


def test_json_round_trip():
    m = OffsetMap()
    m.add(0, 3, 4)
    m.add(6, 12, 2)
    assert OffsetMap.from_json(m.to_json()).runs == m.runs
