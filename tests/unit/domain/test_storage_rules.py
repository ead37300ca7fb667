"""File keys and upload rules, figure by figure: each refusal's message and field (the API returns both to the
client), each limit at its edge, each content type's limit, extension and served type."""

from __future__ import annotations

import pytest

from domain.errors import Forbidden, InvalidInput
from domain.storage.keys import MAX_KEY_LENGTH, SYSTEM_AREAS, USER_AREAS, BlobKey
from domain.storage.policy import MB, UploadPolicy, extension_for, served_type

LENGTH = "File key must be 1-512 characters."
RELATIVE = "File key must be a relative path."
DOTS = "File key may not contain empty, '.' or '..' segments."
CHARS = "File key segments may hold letters, digits and . _ - + = @ only."
RESERVED = "File names may not end in .meta (kept for the store's own metadata)."
AREA = ("File key must start with one of: uploads, sessions, challenges, avatars, videos, breakdowns, thumbnails, "
        "demos, pose-data, reports, songs, moves, renders.")


def refusal(raw: str) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        BlobKey.parse(raw)
    return caught.value


def key_of_length(n: int) -> str:
    head = "uploads/u1/"
    body = []
    left = n - len(head)
    while left > 0:
        take = min(100, left)
        body.append("a" * take)
        left -= take + 1  # the slash before the next segment
    key = head + "/".join(body)
    assert len(key) == n, len(key)
    return key


@pytest.mark.parametrize(("raw", "message"), [
    ("", LENGTH),
    ("/uploads/u1/x.mp4", RELATIVE),
    ("uploads\\u1\\x.mp4", RELATIVE),
    ("uploads/u1/x\x00.mp4", RELATIVE),
    ("uploads//x.mp4", DOTS),
    ("uploads/./x.mp4", DOTS),
    ("uploads/u1/../x.mp4", DOTS),
    ("uploads/u1/", DOTS),
    ("uploads/u1/x y.mp4", CHARS),
    ("uploads/u1/.hidden", CHARS),
    ("uploads/u1/-dash", CHARS),
    ("uploads/u1/x.meta", RESERVED),
    ("uploads/u1/x.META", RESERVED),
    ("etc/passwd", AREA),
    ("Uploads/u1/x.mp4", AREA),
])
def test_each_refusal_says_why_and_names_the_file_key(raw, message):
    error = refusal(raw)
    assert (error.message, error.field) == (message, "file_key")


def test_a_key_may_be_512_characters_and_no_more():
    assert MAX_KEY_LENGTH == 512
    assert BlobKey.parse(key_of_length(512)).value == key_of_length(512)
    error = refusal(key_of_length(513))
    assert (error.message, error.field) == (LENGTH, "file_key")


def test_a_segment_may_be_128_characters_and_no_more():
    assert BlobKey.parse("uploads/u1/" + "b" * 128).filename == "b" * 128
    assert refusal("uploads/u1/" + "b" * 129).message == CHARS


def test_every_character_the_rule_names_is_allowed_after_the_first():
    assert BlobKey.parse("uploads/u1/a._-+=@Z9").filename == "a._-+=@Z9"


def test_only_the_file_name_is_kept_from_ending_in_meta():
    assert BlobKey.parse("uploads/u1.meta/x.mp4").owner_id == "u1.meta"
    assert BlobKey.parse("uploads/u1/x.metadata").filename == "x.metadata"


@pytest.mark.parametrize("area", USER_AREAS + SYSTEM_AREAS)
def test_every_named_area_is_accepted(area):
    assert BlobKey.parse(f"{area}/u1/f.bin").area == area


def test_parts_of_a_key():
    key = BlobKey.for_user("sessions", "u1", "s9", "video.mp4")
    assert key.value == str(key) == "sessions/u1/s9/video.mp4"
    assert (key.area, key.owner_id, key.filename) == ("sessions", "u1", "video.mp4")
    assert BlobKey.for_user("avatars", "u2").value == "avatars/u2"
    with pytest.raises(InvalidInput):
        BlobKey.for_user("sessions", "u1", "..", "x.mp4")


def test_a_user_area_key_needs_a_file_under_the_user_to_have_an_owner():
    assert BlobKey.parse("uploads/u1").owner_id is None
    assert BlobKey.parse("uploads/u1/x").owner_id == "u1"
    assert BlobKey.parse("demos/u1/x").owner_id is None


def test_access_to_another_users_file_is_refused_with_its_message():
    key = BlobKey.parse("uploads/u1/x.mp4")
    with pytest.raises(Forbidden) as caught:
        key.check_access("u2", is_admin=False)
    assert caught.value.message == "You do not have permission to access this file."
    key.check_access("u1", is_admin=False)
    key.check_access("u2", is_admin=True)
    with pytest.raises(Forbidden):
        BlobKey.parse("uploads/u1").check_access("u1", is_admin=False)  # no owner: only admins


@pytest.mark.parametrize(("content_type", "plain", "challenge"), [
    ("video/mp4", 100 * MB, 500 * MB),
    ("video/quicktime", 100 * MB, 500 * MB),
    ("video/x-msvideo", 100 * MB, 500 * MB),
    ("video/avi", 100 * MB, 500 * MB),
    ("video/webm", 100 * MB, 500 * MB),
    ("Video/MP4; codecs=avc1", 100 * MB, 500 * MB),
    ("video/webm; codecs=vp9; rate=30", 100 * MB, 500 * MB),
    ("image/jpeg", 5 * MB, 5 * MB),
    ("image/png", 5 * MB, 5 * MB),
    (" IMAGE/WEBP ", 5 * MB, 5 * MB),
    ("audio/mpeg", 50 * MB, 50 * MB),
    ("audio/wav", 50 * MB, 50 * MB),
    ("audio/x-wav", 50 * MB, 50 * MB),
    ("audio/ogg", 50 * MB, 50 * MB),
    ("audio/flac;rate=44100", 50 * MB, 50 * MB),
])
def test_limits_per_content_type(content_type, plain, challenge):
    policy = UploadPolicy()
    assert policy.limit_for(content_type) == plain
    assert policy.limit_for(content_type, challenge=True) == challenge


def test_limits_come_from_the_policy():
    policy = UploadPolicy(max_video_bytes=1, max_challenge_video_bytes=2, max_image_bytes=3, max_audio_bytes=4)
    assert [policy.limit_for("video/mp4"), policy.limit_for("video/mp4", challenge=True),
            policy.limit_for("image/png"), policy.limit_for("audio/ogg")] == [1, 2, 3, 4]


def test_an_unsupported_type_is_refused_with_the_list_of_allowed_ones():
    with pytest.raises(InvalidInput) as caught:
        UploadPolicy().check("text/html", 0)  # the type is judged before the size
    assert caught.value.field == "content_type"
    assert caught.value.message == (
        "Unsupported content type 'text/html'; allowed: audio/flac, audio/mpeg, audio/ogg, audio/wav, audio/x-wav, "
        "image/jpeg, image/png, image/webp, video/avi, video/mp4, video/quicktime, video/webm, video/x-msvideo.")


def test_sizes_at_the_edges():
    policy = UploadPolicy()
    policy.check("video/mp4", 1)
    policy.check("video/mp4", 100 * MB)
    policy.check("video/mp4", 500 * MB, challenge=True)
    for size in (0, -1):
        with pytest.raises(InvalidInput) as caught:
            policy.check("video/mp4", size)
        assert (caught.value.message, caught.value.field) == ("File size must be positive.", "file_size")
    with pytest.raises(InvalidInput) as caught:
        policy.check("video/mp4", 100 * MB + 1)
    assert caught.value.field == "file_size"
    with pytest.raises(InvalidInput) as caught:
        policy.check("video/mp4", 500 * MB + 1, challenge=True)
    assert caught.value.message == "File is 500.0 MB; the limit for video/mp4 is 500 MB."
    with pytest.raises(InvalidInput) as caught:
        policy.check("image/png", 6 * MB + MB // 2)
    assert caught.value.message == "File is 6.5 MB; the limit for image/png is 5 MB."


@pytest.mark.parametrize(("content_type", "extension"), [
    ("video/mp4", "mp4"), ("video/quicktime", "mov"), ("video/x-msvideo", "avi"), ("video/avi", "avi"),
    ("video/webm", "webm"), ("image/jpeg", "jpg"), ("image/png", "png"), ("image/webp", "webp"),
    ("audio/mpeg", "mp3"), ("audio/wav", "wav"), ("audio/x-wav", "wav"), ("audio/ogg", "ogg"),
    ("audio/flac", "flac"), (" Video/QuickTime; codecs=x ", "mov"),
    ("audio/ogg; codecs=opus; rate=48000", "ogg"), ("text/html", "bin"), ("", "bin"),
])
def test_extension_per_content_type(content_type, extension):
    assert extension_for(content_type) == extension


@pytest.mark.parametrize(("content_type", "served"), [
    ("video/mp4", "video/mp4"), ("Image/PNG; q=1", "image/png"),
    ("video/mp4; codecs=avc1; profile=high", "video/mp4"), (" audio/ogg ", "audio/ogg"),
    ("application/json", "application/json"), ("application/gzip", "application/gzip"),
    ("text/html", "application/octet-stream"), ("application/javascript", "application/octet-stream"),
    ("image/svg+xml", "application/octet-stream"), ("", "application/octet-stream"),
])
def test_served_type_keeps_known_media_and_sends_the_rest_as_bytes(content_type, served):
    assert served_type(content_type) == served


def test_a_checked_key_is_remembered_and_a_refused_one_is_not():
    first = BlobKey.parse("uploads/u1/x.mp4")
    assert BlobKey.parse("uploads/u1/x.mp4") is first
    for _ in range(2):
        assert refusal("uploads/u1/../x.mp4").message == DOTS
