"""Post links as owners paste them: whose post it is, and one key per post.

Share links of one post differ by tracking parameters, "www."/"m." and the app that
shared them (`youtu.be/ID` and `youtube.com/watch?v=ID`), so figures sent twice for a
post must land on one key or the second would count as another post. Some links also
name the account, which saves the owner typing the @handle.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

# Hosts of the apps whose post links owners paste (a regular-expression fragment).
POST_HOSTS = (
    r"(?:[a-z0-9-]+\.)*(?:instagram\.com|instagr\.am|tiktok\.com|youtube\.com|youtu\.be|"
    r"facebook\.com|fb\.watch|fb\.com|x\.com|twitter\.com|t\.me|threads\.net)"
)

_IG_NOT_USERS = frozenset({"p", "reel", "reels", "tv", "stories", "explore", "s"})


def handle_from_url(url: str | None) -> str | None:
    """The account a post URL names, where the URL holds it.

    TikTok and YouTube (`/@rina/...`), Instagram (`/rina/p/CODE`, `/stories/rina/...`)
    and Telegram channels (`t.me/channel/123`); None for `instagram.com/p/CODE` and
    short links, which name only the post.
    """
    if not url:
        return None
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    segments = [s for s in parts.path.split("/") if s]
    if not segments:
        return None
    if segments[0].startswith("@") and len(segments[0]) > 1:
        return segments[0][1:].lower()
    if host.endswith("instagram.com"):
        if segments[0] == "stories" and len(segments) > 1:
            return segments[1].lower()
        if segments[0] not in _IG_NOT_USERS and len(segments) > 2 and segments[1] in _IG_NOT_USERS:
            return segments[0].lower()
    if host == "t.me" and len(segments) == 2 and segments[1].isdigit():
        return segments[0].lower()
    return None


def post_key_of(url: str | None) -> str:
    """A stable key for a post, so two share links of one post supersede each other.

    Host in lower case without www/m, no query or fragment (tracking such as ?igsh=,
    ?si=, ?utm_*), no trailing slash; Instagram posts and reels by their code alone;
    YouTube watch and youtu.be links by the video id. "" without a URL: the member's
    (one) post.
    """
    if not url:
        return ""
    parts = urlsplit(url if "://" in url else "https://" + url)
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    segments = [s for s in parts.path.split("/") if s]
    if host.endswith("instagram.com"):
        for i, segment in enumerate(segments[:-1]):
            if segment in ("p", "reel", "reels", "tv"):
                return f"instagram.com/p/{segments[i + 1]}"
    if host in ("youtube.com", "music.youtube.com"):
        video = parse_qs(parts.query).get("v")
        if segments[:1] == ["watch"] and video:
            return f"youtube.com/watch?v={video[0]}"
        if len(segments) == 2 and segments[0] in ("shorts", "live"):
            return f"youtube.com/watch?v={segments[1]}"
    if host == "youtu.be" and segments:
        return f"youtube.com/watch?v={segments[0]}"
    path = "/".join(segments)
    return f"{host}/{path}" if path else host
