import pytest

from manabiya.core.japan import (
    is_valid_local_government_code,
    normalize_local_government_code,
    prefecture_for_code,
)


@pytest.mark.parametrize("code", ["132101", "132292", "132241", "132021", "012246", "131016"])
def test_real_codes_are_valid(code):
    """The five seed cities and 千代田区 carry correct check digits."""
    assert is_valid_local_government_code(code)


@pytest.mark.parametrize("code", ["132102", "13210", "1321011", "abcdef", "482101", "１３２１０１"])
def test_wrong_codes_are_refused(code):
    assert not is_valid_local_government_code(code)


def test_five_digit_and_full_width_codes_are_normalised():
    assert normalize_local_government_code("13210") == "132101"
    assert normalize_local_government_code(" １３２１０１ ") == "132101"


def test_prefecture_from_code():
    assert prefecture_for_code("012246") == "北海道"
    assert prefecture_for_code("132101") == "東京都"
