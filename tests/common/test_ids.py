from __future__ import annotations

from bot.common.ids import IdKind, TypedId, parse_typed_id


def test_typed_ids_round_trip() -> None:
    for text, kind in (("M12", IdKind.MEETING), ("u7", IdKind.DRAFT), ("A3", IdKind.ACTION_ITEM)):
        parsed = parse_typed_id(text)
        assert parsed == TypedId(kind, int(text[1:]))
        assert str(parsed) == text.upper()


def test_text_and_other_kinds_are_not_ids() -> None:
    for text in ("12", "M", "M0", "X12", "Möte", "M12a", "", "M-1"):
        assert parse_typed_id(text) is None, text
    assert parse_typed_id("M12", expected=IdKind.DRAFT) is None
