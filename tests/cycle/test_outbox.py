"""The outbox: messages are written first, sent to a real local SMTP server, marked sent only
once it accepts them, and kept and retried with backoff when it refuses or is down."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from exchange.context import get_uow
from exchange.models import OutboxMessage
from exchange.services.cycle.outbox import SmtpSettings, backoff, deliver_pending, enqueue
from tests.cycle.conftest import at

NOW = at("2025-07-24 07:00")


def queue(key="k1", to=("ann@rmbc.example",), subject="Hello", body="Body text\n") -> bool:
    return enqueue(get_uow(), to=list(to), subject=subject, body=body, dedupe_key=key, now=NOW)


def messages() -> list[OutboxMessage]:
    with get_uow() as uow:
        return list(uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_queued_message_reaches_the_smtp_server_and_is_marked_sent(app, smtp_server):
    assert queue(to=["bob@rmbc.example", "ann@rmbc.example"], subject="Spend return due",
                 body="Please send it.\n")
    report = deliver_pending(get_uow(), NOW, smtp_server.url, sender="Hub <hub@example.org>")
    assert (report.sent, report.failed) == (1, 0)
    [got] = smtp_server.messages
    assert got.rcpt_tos == ["ann@rmbc.example", "bob@rmbc.example"]
    assert got.mail_from == "hub@example.org"
    assert got.subject == "Spend return due"
    assert got.body == "Please send it.\n"
    assert got.message["Message-ID"] == f"<outbox-{messages()[0].id}@example.org>"
    [stored] = messages()
    assert (stored.sent_at, stored.attempts, stored.last_error) == (NOW, 1, None)


def test_a_dedupe_key_is_queued_only_once(app):
    assert queue("reminder:rmbc:spend:2025-26-Q1:week-before") is True
    assert queue("reminder:rmbc:spend:2025-26-Q1:week-before", subject="Other") is False
    assert [m.subject for m in messages()] == ["Hello"]


def test_a_sent_message_is_never_sent_again(app, smtp_server):
    queue()
    deliver_pending(get_uow(), NOW, smtp_server.url)
    again = deliver_pending(get_uow(), NOW + timedelta(days=1), smtp_server.url)
    assert (again.sent, again.failed) == (0, 0)
    assert len(smtp_server.messages) == 1


def test_a_refusing_server_loses_nothing_and_the_message_is_retried_after_backoff(
        app, refusing_smtp_server, smtp_server):
    queue()
    report = deliver_pending(get_uow(), NOW, refusing_smtp_server.url)
    assert (report.sent, report.failed) == (0, 1)
    [kept] = messages()
    assert kept.sent_at is None and kept.attempts == 1
    assert "550" in kept.last_error and "refused by the test server" in kept.last_error
    assert kept.next_attempt_at == NOW + timedelta(minutes=1)
    # Not due yet: nothing is tried, even though the server is back.
    early = deliver_pending(get_uow(), NOW + timedelta(seconds=30), smtp_server.url)
    assert (early.sent, early.failed, smtp_server.messages) == (0, 0, [])
    later = deliver_pending(get_uow(), NOW + timedelta(minutes=1), smtp_server.url)
    assert later.sent == 1
    assert len(smtp_server.messages) == 1
    [sent] = messages()
    assert (sent.attempts, sent.sent_at) == (2, NOW + timedelta(minutes=1))


def test_a_server_that_is_down_loses_nothing_and_is_retried_ever_less_often(
        app, smtp_down_url, smtp_server):
    queue("a")
    queue("b")
    now, waits = NOW, []
    for _ in range(4):
        report = deliver_pending(get_uow(), now, smtp_down_url)
        assert (report.sent, report.failed) == (0, 2)
        kept = messages()
        assert all(m.sent_at is None and "could not reach 127.0.0.1" in m.last_error
                   for m in kept)
        waits.append(kept[0].next_attempt_at - now)
        now = kept[0].next_attempt_at
    assert waits == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert [m.attempts for m in messages()] == [4, 4]
    report = deliver_pending(get_uow(), now, smtp_server.url)
    assert report.sent == 2
    assert sorted(m.dedupe_key for m in messages() if m.sent_at) == ["a", "b"]


def test_a_message_that_cannot_be_written_is_kept_and_does_not_block_the_others(
        app, smtp_server):
    queue("bad", to=["ann@rmbc.example\nBcc: everyone@example.org"])
    queue("good")
    report = deliver_pending(get_uow(), NOW, smtp_server.url)
    assert (report.sent, report.failed) == (1, 1)
    bad, good = messages()
    assert bad.sent_at is None and bad.attempts == 1 and bad.last_error
    assert good.sent_at == NOW
    assert [m.rcpt_tos for m in smtp_server.messages] == [["ann@rmbc.example"]]


def test_backoff_doubles_from_a_minute_to_at_most_six_hours():
    assert [backoff(n) for n in (1, 2, 3, 4)] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert backoff(9) == timedelta(minutes=256)
    assert backoff(10) == backoff(1000) == timedelta(hours=6)


def test_the_smtp_password_is_never_recorded(app, smtp_server):
    queue()
    url = smtp_server.url.replace("smtp://", "smtp://mailer:s3cret-pass@")
    report = deliver_pending(get_uow(), NOW, url)
    [kept] = messages()
    assert report.failed == 1 and kept.sent_at is None
    assert kept.last_error and "s3cret-pass" not in kept.last_error
    assert "s3cret-pass" not in " ".join(report.errors)


@pytest.mark.parametrize(("url", "expected"), [
    ("smtp://localhost:8025", SmtpSettings("localhost", 8025)),
    ("smtp://mail.example.org", SmtpSettings("mail.example.org", 25)),
    ("smtps://mail.example.org", SmtpSettings("mail.example.org", 465, tls=True)),
    ("smtp://u%40x:p%2Fw@mail.example.org:587?starttls=true",
     SmtpSettings("mail.example.org", 587, starttls=True, username="u@x", password="p/w")),
])
def test_smtp_urls_are_understood(url, expected):
    assert SmtpSettings.parse(url) == expected


def test_an_smtp_url_of_another_scheme_is_refused():
    with pytest.raises(ValueError, match="smtp://host:port"):
        SmtpSettings.parse("http://mail.example.org")


def test_a_message_needs_a_recipient(app):
    with pytest.raises(ValueError, match="recipient"):
        queue(to=[" "])
