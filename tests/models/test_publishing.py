"""The publishing module: the only code that changes status, and its refusals."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles import publishing
from articles.models import Article, AuditEntry, Revision

AD = "Get up to $30,050 in trading rewards when you join Bybit today"


def test_publish_records_revision_audit_and_times(make_article, editor):
    article = make_article("draft")
    published = publishing.publish(article, by=editor)
    assert published.status == "published"
    assert published.first_published_at == published.publish_at
    assert published.version == 2
    assert Revision.objects.filter(article=article, version=2).exists()
    assert AuditEntry.objects.filter(article=article, action="publish", actor=editor).exists()
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_publishing_twice_at_the_same_time_is_one_event(make_article, editor):
    article = make_article("draft")
    when = timezone.now() - timedelta(minutes=1)
    publishing.publish(article, by=editor, at=when)
    publishing.publish(article, by=editor, at=when)
    assert AuditEntry.objects.filter(article=article, action="publish").count() == 1


def test_schedule_is_publish_with_a_future_time(make_article, editor):
    article = make_article("draft")
    publishing.publish(article, by=editor, at=timezone.now() + timedelta(hours=3))
    assert not Article.objects.published().filter(pk=article.pk).exists()
    assert AuditEntry.objects.filter(article=article, action="schedule").exists()


def test_publish_refuses_a_body_that_reads_as_advertising(make_article, editor):
    article = make_article("draft", paragraphs=["Toyota said sales rose.", AD])
    with pytest.raises(publishing.PromotionalCopyError) as exc:
        publishing.publish(article, by=editor)
    assert "Block 2" in str(exc.value) and "join Bybit" in str(exc.value)
    article.refresh_from_db()
    assert article.status == "draft"
    assert not AuditEntry.objects.exists()


def test_override_with_a_reason_publishes_and_is_logged(make_article, editor):
    article = make_article("draft", paragraphs=["Toyota said sales rose.", AD])
    publishing.publish(article, by=editor, override_reason="Quoted as evidence in a court story")
    entry = AuditEntry.objects.get(action="ad_check_override")
    assert entry.message == "Quoted as evidence in a court story"
    assert entry.actor == editor and entry.data["blocks"][0]["position"] == 1


def test_blank_override_reason_does_not_count(make_article, editor):
    article = make_article("draft", paragraphs=[AD])
    with pytest.raises(publishing.PromotionalCopyError):
        publishing.publish(article, by=editor, override_reason="   ")


def test_empty_body_is_refused(make_article, editor):
    article = make_article("draft")
    article.blocks.all().delete()
    with pytest.raises(publishing.PublishingError, match="no body"):
        publishing.publish(article, by=editor)


def test_withdraw_needs_a_reason_and_hides_the_article(make_article, editor):
    article = make_article()
    with pytest.raises(publishing.PublishingError, match="reason"):
        publishing.withdraw(article, by=editor, reason=" ")
    publishing.withdraw(article, by=editor, reason="Legal advice")
    article.refresh_from_db()
    assert article.status == "withdrawn" and article.withdrawal_reason == "Legal advice"
    assert not Article.objects.published().filter(pk=article.pk).exists()


def test_submit_and_return_to_draft(make_article, editor):
    article = make_article("draft")
    publishing.submit_for_review(article, by=editor)
    with pytest.raises(publishing.PublishingError):
        publishing.submit_for_review(article, by=editor)
    article = publishing.return_to_draft(article, by=editor)
    assert article.status == "draft"
