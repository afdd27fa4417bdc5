"""After a load or fault run: was everything the server acknowledged kept, and done once?

Reads the ledger the Locust users wrote (bench/load/locustfile.py: one JSON object a line
for each public report whose reference came back, each visit and case note saved, each
partner event accepted) and looks for each in the database; then checks the outbox: every
message sent (or dead-lettered with its reason), each inbox message delivered as one
notification, each e-mail written once under its Message-ID in the mail directory.

    python bench/load/verify.py --database-url URL --ledger var/load/ledger.jsonl \\
        --mail-dir var/load/mail

Prints JSON; exits 1 if anything acknowledged is missing or duplicated."""

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from accounts import _setup

MESSAGE_ID = re.compile(r"^Message-ID:\s*(\S+)", re.MULTILINE | re.IGNORECASE)


def ledger_lines(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def check_acknowledged(entries: list[dict[str, Any]]) -> dict[str, Any]:
    from safehub.casework.models import CaseNote, Visit
    from safehub.frontdoor.models import Contact
    from safehub.partners.models import PartnerEvent

    kinds: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        kinds.setdefault(entry["kind"], []).append(entry)
    result: dict[str, Any] = {}
    references = [e["reference"] for e in kinds.get("report", [])]
    found = Counter(
        Contact.objects.filter(reference__in=references).values_list("reference", flat=True)
    )
    result["reports"] = _tally(references, found)
    for kind, model, text in (("visit", Visit, "note"), ("note", CaseNote, "text")):
        markers = [e["marker"] for e in kinds.get(kind, [])]
        counts: Counter[str] = Counter()
        for marker in markers:
            counts[marker] = model.objects.filter(**{f"{text}__contains": marker}).count()
        result[f"{kind}s"] = _tally(markers, counts)
    ids = [e["event_id"] for e in kinds.get("partner_event", [])]
    got = Counter(
        PartnerEvent.objects.filter(partner_event_id__in=ids).values_list(
            "partner_event_id", flat=True
        )
    )
    result["partner_events"] = _tally(ids, got)
    return result


def _tally(expected: list[str], found: Counter[str]) -> dict[str, int]:
    return {
        "acknowledged": len(expected),
        "missing": sum(1 for key in expected if found[key] == 0),
        "more_than_once": sum(1 for key in expected if found[key] > 1),
    }


def check_outbox(mail_dir: Path) -> dict[str, Any]:
    from django.db.models import Count

    from safehub.notifications.models import Channel, Notification, OutboxMessage

    pending = OutboxMessage.objects.filter(sent_at__isnull=True, dead_at__isnull=True).count()
    dead = OutboxMessage.objects.filter(dead_at__isnull=False).count()
    inbox_sent = OutboxMessage.objects.filter(channel=Channel.INBOX, sent_at__isnull=False)
    inbox_missing = inbox_sent.filter(notification__isnull=True).count()
    # One notification per message is a constraint; counted anyway, as the proof.
    doubled = Notification.objects.values("message").annotate(n=Count("id")).filter(n__gt=1)
    written: Counter[str] = Counter()
    for path in mail_dir.glob("*") if mail_dir.exists() else []:
        written.update(MESSAGE_ID.findall(path.read_text(errors="replace")))
    emails = {
        m.message_id: m.pk
        for m in OutboxMessage.objects.filter(channel=Channel.EMAIL, sent_at__isnull=False)
    }
    return {
        "messages": OutboxMessage.objects.count(),
        "pending": pending,
        "dead_lettered": dead,
        "inbox_sent_without_notification": inbox_missing,
        "inbox_delivered_twice": doubled.count(),
        "emails_sent": len(emails),
        "emails_sent_but_not_written": sum(1 for mid in emails if written[mid] == 0),
        "emails_written_more_than_once": sum(1 for mid in emails if written[mid] > 1),
    }


def verify(database_url: str, ledger: Path, mail_dir: Path) -> dict[str, Any]:
    _setup(database_url)
    acknowledged = check_acknowledged(ledger_lines(ledger))
    outbox = check_outbox(mail_dir)
    lost = sum(v["missing"] for v in acknowledged.values())
    twice = sum(v["more_than_once"] for v in acknowledged.values())
    return {
        "acknowledged": acknowledged,
        "outbox": outbox,
        "lost": lost
        + outbox["inbox_sent_without_notification"]
        + outbox["emails_sent_but_not_written"],
        "done_twice": twice
        + outbox["inbox_delivered_twice"]
        + outbox["emails_written_more_than_once"],
        "undelivered": outbox["pending"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--ledger", type=Path, required=True)
    parser.add_argument("--mail-dir", type=Path, required=True)
    args = parser.parse_args(argv)
    result = verify(args.database_url, args.ledger, args.mail_dir)
    print(json.dumps(result, indent=2))
    return 1 if result["lost"] or result["done_twice"] else 0


if __name__ == "__main__":
    sys.exit(main())
