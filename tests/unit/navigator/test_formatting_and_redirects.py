"""The Navigator's pure parts: money and dates as people read them, the search's highlight re-escaped, where a
`next` may lead, and the session cookie that nobody can read or forge."""
from __future__ import annotations

from navigator.formatting import day, highlight, money, month, plural
from navigator.security import safe_next
from navigator.session import Session, SessionCodec


def test_money_dates_and_plurals_read_as_russian():
    assert money(150_000) == "1\u00a0500\u00a0₽" and money(12_345) == "123,45\u00a0₽" and money(5) == "0,05\u00a0₽"
    assert money(-100) == "−1\u00a0₽" and money(None) == "—"
    assert day("2026-09-05") == "5\u00a0сентября 2026" and month("2026-11") == "ноябрь 2026"
    assert [plural(n, "занятие", "занятия", "занятий") for n in (1, 2, 5, 11, 21, 112)] == [
        "1\u00a0занятие", "2\u00a0занятия", "5\u00a0занятий", "11\u00a0занятий", "21\u00a0занятие", "112\u00a0занятий"]


def test_the_highlight_lets_only_mark_through():
    assert str(highlight("<mark>Робото</mark>техника &amp; дети")) == "<mark>Робото</mark>техника &amp; дети"
    assert str(highlight("&lt;script&gt;alert(1)&lt;/script&gt; <mark>танцы</mark>")) == (
        "&lt;script&gt;alert(1)&lt;/script&gt; <mark>танцы</mark>")
    assert "<img" not in str(highlight('<img src=x onerror=alert(1)><mark>a</mark>'))
    assert str(highlight("<mark>open")) == "open"


def test_next_never_leads_to_another_site():
    assert safe_next("/cabinet/contracts/1?x=2") == "/cabinet/contracts/1?x=2"
    for bad in ("https://evil.example/", "//evil.example", "/\\evil.example", "evil", "", None, "/x\r\nSet-Cookie: a",
                "javascript:alert(1)", "/\\/evil"):
        assert safe_next(bad) == "/cabinet", bad


def test_the_session_cookie_is_sealed():
    codec = SessionCodec("s" * 40)
    session = Session()
    session.log_in({"access_token": "ACCESS.TOKEN", "refresh_token": "REFRESH"}, {"email": "a@b.ru", "role": "parent"})
    cookie = codec.dump(session)
    assert "ACCESS" not in cookie and "a@b.ru" not in cookie
    assert codec.load(cookie, 3600)["access"] == "ACCESS.TOKEN"
    assert codec.load(cookie[:-2] + "AA", 3600) == {}
    assert SessionCodec("t" * 40).load(cookie, 3600) == {}
    assert codec.load("garbage", 3600) == {} and not codec.load(None, 3600).modified
