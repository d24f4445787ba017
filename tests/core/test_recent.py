from manabiya.core import recent


def test_a_value_is_read_again_only_once_it_is_older_than_asked_or_forgotten(monkeypatch):
    reads = []
    clock = [100.0]
    monkeypatch.setattr(recent.time, "monotonic", lambda: clock[0])

    def read():
        reads.append(clock[0])
        return len(reads)

    assert recent.recently_read("test.value", 60, read) == 1
    clock[0] += 59
    assert recent.recently_read("test.value", 60, read) == 1
    clock[0] += 2
    assert recent.recently_read("test.value", 60, read) == 2
    recent.forget("test.value")
    assert recent.recently_read("test.value", 60, read) == 3
    assert reads == [100.0, 161.0, 161.0]
