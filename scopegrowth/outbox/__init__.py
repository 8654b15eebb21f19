"""One outbox for every email the app sends (issue 17).

A feature writes an email with `outbox.email(kind, to=person, context=...)` inside the
transaction that makes the change: the row (rendered subject and bodies, a Message-ID given
now) commits or rolls back with the change, so a broker outage loses nothing and a rolled-back
change sends nothing. After the commit a worker is nudged (`robust`: with the broker down the
nudge is only logged) and the beat's `send-outbox` sweep sends whatever is still waiting.
allauth's emails (password reset, email confirmation, MFA notices) come in through the account
adapter as built messages (`outbox.message`). Reminders keep their own table and engine
(`reminders.services`) with the same sending rules.

Sending rules (`sender.py`), as the reminder engine's: a row is claimed with a conditional
UPDATE (one sender), recorded as "may have been sent" before the SMTP call, marked sent after
it; a claim left by a worker that died is taken again after `OUTBOX_STALE_CLAIM_SECONDS` and the
repeat carries the same Message-ID, so a mail system can drop it. At least once, never lost.
"""

from scopegrowth.outbox.sender import deliver, send_ready
from scopegrowth.outbox.writer import email, message

__all__ = ["deliver", "email", "message", "send_ready"]
