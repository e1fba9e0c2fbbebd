"""The attribution step with entities: one resolution of the speakers by the cue's syntax, which the entities
lengthen and link (docs/quotes.md §4: the fullest name the article gives).  Sentences written for these tests."""

from __future__ import annotations

from test_attribution_util import with_entities


def test_a_name_the_article_gives_in_full_lengthens_the_surname_and_its_pronouns() -> None:
    text = ("پیر امریک اوبامیانگ مهاجم تیم در نشست خبری حاضر شد.\n\n"
            "اوبامیانگ گفت: به تیم تازه می‌روم.\n\n"
            "وی افزود: به پدربزرگم قول داده‌ام.")
    doc = with_entities(text, [("پیر امریک اوبامیانگ", "PER")])
    assert [(q.speaker.name, q.speaker.entity) for q in doc.quotes] == [("پیر امریک اوبامیانگ", 0)] * 2
    # without entities the syntax keeps the surname (the given names are not in the name list)
    assert [q.speaker.name for q in with_entities(text, []).quotes] == ["اوبامیانگ"] * 2


def test_a_name_inside_the_mention_is_lengthened_once_for_the_pronouns_after_it() -> None:
    text = ("اشکان مصطفی‌زاده، مدافع میانی تیم با حضور در نشست خبری گفت: آماده‌ام.\n\n"
            "وی افزود: هواداران بیایند.")
    doc = with_entities(text, [("اشکان مصطفی‌زاده", "PER")])
    assert [(q.speaker.name, q.speaker.entity) for q in doc.quotes] == [("اشکان مصطفی‌زاده", 0)] * 2


def test_entities_that_disagree_with_the_syntax_do_not_change_the_speaker() -> None:
    # the tagger took a title word into the name: the syntax wins, the entity still links
    text = "علی کریمی سرمربی تیم گفت: بازی سختی بود.\n\nوی افزود: تیم آماده است."
    doc = with_entities(text, [("علی کریمی سرمربی", "PER")])
    assert [q.speaker.name for q in doc.quotes] == ["علی کریمی"] * 2
