"""The "intended error" box (coursebook.execution.intended_errors) and the video block (coursebook.pages.video), without a build."""

import pytest


from coursebook.execution.intended_errors import summary  # noqa: E402
from coursebook.pages.video import embed_url  # noqa: E402

IPYTHON_8 = """---------------------------------------------------------------------------
ValueError                                Traceback (most recent call last)
Cell In[3], line 2
      1 x = 'a'
----> 2 int(x)

File /usr/lib/python3/dist-packages/somewhere.py:10, in helper()
---> 10     raise ValueError(message)

ValueError: invalid literal for int() with base 10: 'a'"""

COLAB = """---------------------------------------------------------------------------
TypeError                                 Traceback (most recent call last)
<ipython-input-5-9a8f> in <cell line: 1>()
----> 1 l+2

TypeError: can only concatenate list (not "int") to list"""

SYNTAX = """  Cell In[1], line 1
    l+
      ^
SyntaxError: invalid syntax"""


@pytest.mark.parametrize(
    "traceback, expected",
    [
        (IPYTHON_8, ("ValueError", "invalid literal for int() with base 10: 'a'", "int(x)")),  # the cell's line, not the library's
        (COLAB, ("TypeError", 'can only concatenate list (not "int") to list', "l+2")),
        (SYNTAX, ("SyntaxError", "invalid syntax", "l+")),
    ],
)
def test_the_box_names_the_type_the_message_and_the_failing_line(traceback, expected):
    assert summary(traceback) == expected


@pytest.mark.parametrize(
    "url, embed",
    [
        ("https://www.youtube.com/watch?v=abc123XYZ_0", "https://www.youtube-nocookie.com/embed/abc123XYZ_0?autoplay=1"),
        ("https://youtu.be/abc123XYZ_0?t=10", "https://www.youtube-nocookie.com/embed/abc123XYZ_0?autoplay=1"),
        ("https://youtu.be/playlist?list=PLx", "https://www.youtube-nocookie.com/embed/videoseries?list=PLx&autoplay=1"),
        ("https://vimeo.com/12345", "https://player.vimeo.com/video/12345?autoplay=1"),
        ("https://example.org/lecture.mp4", None),  # stays a plain link
    ],
)
def test_the_player_comes_from_the_hosts_embed_address(url, embed):
    assert embed_url(url) == embed
