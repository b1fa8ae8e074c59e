"""The scan worker freezes its heap once the compiled-advisory cache has grown, not per scan."""
import gc

import pytest

from patrol.scanning import frozen_heap


@pytest.fixture
def fresh_heap(monkeypatch):
    monkeypatch.setattr(frozen_heap, "_frozen_at", 0)
    yield
    gc.unfreeze()


def test_it_freezes_after_real_growth_only(fresh_heap):
    assert not frozen_heap.freeze_when_grown(frozen_heap.GROWTH - 1)
    alive = [[n] for n in range(1000)]  # tracked objects that must end up frozen
    before = gc.get_freeze_count()
    assert frozen_heap.freeze_when_grown(frozen_heap.GROWTH)
    assert gc.get_freeze_count() >= before + len(alive)
    assert not frozen_heap.freeze_when_grown(2 * frozen_heap.GROWTH - 1)
    assert frozen_heap.freeze_when_grown(2 * frozen_heap.GROWTH)


def test_it_collects_garbage_cycles_before_freezing_them(fresh_heap):
    import weakref

    class Node:
        pass

    gc.disable()  # only the freeze's own collection may free the cycle
    try:
        cycle = Node()
        cycle.me = cycle
        gone = weakref.ref(cycle)
        del cycle
        assert gone() is not None
        assert frozen_heap.freeze_when_grown(frozen_heap.GROWTH)
        assert gone() is None
    finally:
        gc.enable()
