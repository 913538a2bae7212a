"""``{video} URL``: a video that loads nothing from its host until the reader asks for it.

The page shows a link (and the PDF prints it: a link on paper, with its address); a click on the
site replaces the link with the host's player. Until then no request leaves the site, so a reader
who never plays it is never seen by the video's host. YouTube plays from its no-cookie domain.
"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

YOUTUBE = re.compile(r"^(?:www\.|m\.)?(?:youtube\.com|youtu\.be|youtube-nocookie\.com)$")
LABEL = ("동영상 재생", "Play the video")
# On a click, the link becomes the player: the only moment the host is contacted.
PLAY = """document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a.video-block-link[data-embed]");
  if (!link) return;
  event.preventDefault();
  var frame = document.createElement("iframe");
  frame.src = link.dataset.embed;
  frame.title = link.textContent.trim();
  frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
  frame.allowFullscreen = true;
  frame.className = "video-block-player";
  frame.style.cssText = "width:100%;aspect-ratio:16/9;border:0";
  link.replaceWith(frame);
});"""


def embed_url(url: str) -> str | None:
    """The player's address for the hosts known here (with autoplay: the reader already clicked)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if YOUTUBE.match(host):
        query = parse_qs(parts.query)
        if "list" in query and "v" not in query:  # a playlist
            return f"https://www.youtube-nocookie.com/embed/videoseries?list={query['list'][0]}&autoplay=1"
        video = parts.path.strip("/") if host.endswith("youtu.be") else (query.get("v", [""])[0] or parts.path.rsplit("/", 1)[-1])
        return f"https://www.youtube-nocookie.com/embed/{video}?autoplay=1" if re.fullmatch(r"[\w-]{6,}", video) else None
    if host.endswith("vimeo.com") and (video := parts.path.strip("/").split("/")[-1]).isdigit():
        return f"https://player.vimeo.com/video/{video}?autoplay=1"
    return None


class video_block(nodes.General, nodes.Element):
    """Its child is a paragraph with the link, which every builder but HTML writes as it is."""


class VideoDirective(SphinxDirective):
    required_arguments = 1
    option_spec = {"title": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        url = self.arguments[0]
        if not re.match(r"^https?://", url):
            raise self.error(f"{{video}} needs the video's web address (https://...), not {url!r}.")
        node = video_block(url=url, embed=embed_url(url), title=self.options.get("title", ""))
        node += nodes.paragraph("", "", nodes.reference(url, url, refuri=url))
        self.set_source_info(node)
        return [node]


def visit_video_html(translator, node: video_block) -> None:
    url = html.escape(node["url"], quote=True)
    embed = f' data-embed="{html.escape(node["embed"], quote=True)}"' if node["embed"] else ""
    title = f"{html.escape(node['title'])} " if node["title"] else ""
    translator.body.append(
        f'<div class="video-block"><p><a class="video-block-link reference external" href="{url}"{embed}>'
        f'▶ {title}<span class="lang-inline lang-ko" lang="ko">{LABEL[0]}</span><span class="lang-sep">\u00a0·\u00a0</span>'
        f'<span class="lang-inline lang-en" lang="en">{LABEL[1]}</span>: <span class="video-block-url">{url}</span></a></p></div>\n'
    )
    raise nodes.SkipNode


def setup(app: Sphinx) -> dict:
    app.add_node(video_block, html=(visit_video_html, None))
    app.add_directive("video", VideoDirective)
    app.add_js_file(None, body=PLAY)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
