"""Short notes join the message after them; nothing else changes shape."""

from __future__ import annotations

from bot.chat.replies import Button, Document, Reply, coalesce

ASK = Reply("Tujuan utama kampanyenya apa, Kak?", buttons=((Button("Penjualan", "c:1:g:0"),),))


def test_a_note_joins_the_question_after_it() -> None:
    (joined,) = coalesce([Reply("Siap, Kuliner ya 👍"), ASK])
    assert joined.text == "Siap, Kuliner ya 👍\n\nTujuan utama kampanyenya apa, Kak?"
    assert joined.buttons == ASK.buttons


def test_buttons_edits_photos_and_documents_keep_their_own_messages() -> None:
    with_buttons = Reply("Pilih dulu", buttons=((Button("A", "x"),),))
    edit = Reply("diganti", edit=True)
    photo = Reply("grafik", photo=b"\x89PNG")
    doc = Reply(document=Document("a.csv", b"x"))
    replies = [with_buttons, ASK, edit, Reply("catatan"), photo, doc, Reply("akhir")]
    assert coalesce(replies) == replies


def test_nothing_joins_past_telegrams_length_limit() -> None:
    long = Reply("😀" * 2047)  # 4,094 UTF-16 units
    assert coalesce([long, Reply("ok")]) == [long, Reply("ok")]
    assert coalesce([Reply("😀" * 2046), Reply("ok")])[0].text.endswith("\n\nok")


def test_a_notice_to_another_chat_is_never_joined() -> None:
    from bot.chat.replies import Reply, coalesce

    own, notice, after = Reply("Siap"), Reply("Untuk pemilik", chat_id=7), Reply("Lanjut")
    assert coalesce([own, notice, after]) == [own, notice, after]
