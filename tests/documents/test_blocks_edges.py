"""The office formats' reading of HTML (``documents/blocks.py``) at its edges: picture
sizes from partial attributes, tables whose cells hold lists, tables, pictures or a
caption, rows outside ``<tbody>``, and line breaks between blocks."""

from __future__ import annotations

import pytest

from sozialraumprozess.documents.blocks import (
    ListBlock,
    Paragraph,
    Picture,
    Table,
    html_blocks,
    markdown_text,
    plain,
)

_BOX = 'viewBox="0 0 200 100"'


@pytest.mark.parametrize(
    ("attributes", "size"),
    [
        (f'width="300" {_BOX}', (300.0, 150.0)),  # the height from the box's ratio
        (f'height="50" {_BOX}', (100.0, 50.0)),  # the width from it
        (_BOX, (200.0, 100.0)),  # neither: the box itself
        ('width="300"', (300.0, 150.0)),  # no box: half as high
        ('height="80"', (160.0, 80.0)),  # no box: twice as wide
        ('width="2in" height="1in"', (192.0, 96.0)),  # units in CSS pixels
        ('viewBox="0 0 x y" width="120" height="60"', (120.0, 60.0)),  # a broken box
    ],
)
def test_a_pictures_size_comes_from_what_its_svg_gives(
    attributes: str, size: tuple[float, float]
) -> None:
    (picture,) = html_blocks(f"<p><svg {attributes}><title>Bild</title></svg></p>")
    assert isinstance(picture, Picture)
    assert (picture.width, picture.height) == size
    assert picture.alt == "Bild"


def test_cells_with_lists_read_as_lines_and_pictures_in_cells_are_left_out() -> None:
    html = """
    <table>
      <caption>Übersicht</caption>
      <tr><th>Was</th><th class="num">Betrag</th></tr>
      <tr><td><ol><li>erstens</li><li>zweitens</li></ol></td><td class="num">5</td></tr>
      <tr><td><ul><li>Punkt</li></ul><p>Satz</p></td><td><svg width="10" height="10"/></td></tr>
      <tr><td><table><tr><td>a</td><td>b</td></tr></table></td></tr>
    </table>
    """
    blocks = html_blocks(html)
    caption, table = blocks
    assert isinstance(caption, Paragraph)
    assert plain(caption.runs) == "Übersicht"
    assert isinstance(table, Table)
    assert table.head == 1
    assert [plain(c.runs) for c in table.rows[1]] == ["1. erstens\n2. zweitens", "5"]
    assert table.rows[1][1].numeric
    assert [plain(c.runs) for c in table.rows[2]] == ["• Punkt\nSatz", ""]  # no picture
    assert plain(table.rows[3][0].runs) == "a | b"
    assert len(table.rows[3]) == 2  # padded to the widest row
    assert not any(isinstance(b, Picture) for b in blocks)


def test_breaks_rules_and_pictures_between_inline_text() -> None:
    html = (
        "<div>eins<br>zwei <b>fett</b> <img alt='x' "
        'src=\'data:image/svg+xml;utf8,<svg width="4" height="2"/>\'> drei<hr>'
        "<ul><li>a<ul><li>b</li></ul></li></ul></div>"
    )
    blocks = html_blocks(html)
    kinds = [type(b).__name__ for b in blocks]
    assert "Picture" in kinds
    first = blocks[0]
    assert isinstance(first, Paragraph)
    assert plain(first.runs).startswith("eins\nzwei fett")
    nested = blocks[-1]
    assert isinstance(nested, ListBlock)
    text = markdown_text(blocks)
    assert "- a\n  - b" in text
    assert "<svg" not in text  # Markdown has no pictures


def test_a_picture_in_a_list_item_is_kept_out_of_markdown() -> None:
    blocks = html_blocks("<ul><li>Text<svg width='4' height='2'/></li><li>mehr</li></ul>")
    (listed,) = [b for b in blocks if isinstance(b, ListBlock)]
    assert any(isinstance(part, Picture) for item in listed.items for part in item)
    assert markdown_text(blocks).splitlines() == ["- Text", "- mehr"]


def test_empty_html_has_no_blocks() -> None:
    assert html_blocks("   ") == ()
    assert html_blocks("<ul></ul><table></table><hr>") == ()
