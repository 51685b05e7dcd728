"""The e2e harness itself: when browser tests skip and when they must fail."""
import pytest

from tests.e2e.conftest import CHROMIUM, require_chromium


@pytest.mark.parametrize("environ, outcome", [
    ({}, pytest.skip.Exception),
    ({"CI": "false"}, pytest.skip.Exception),
    ({"CI": "true"}, pytest.fail.Exception),
])
def test_missing_chromium(tmp_path, environ, outcome):
    with pytest.raises(outcome, match="不存在"):
        require_chromium(str(tmp_path / "no-chromium"), environ)


def test_present_chromium_is_used(tmp_path):
    browser = tmp_path / "chromium"
    browser.write_text("")
    assert require_chromium(str(browser), {"CI": "true"}) is None
    assert CHROMIUM == "/usr/bin/chromium"
