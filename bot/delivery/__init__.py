"""Sending: the one send budget every message takes a slot from, and the broadcast outbox.

budget.py (with rules.py and ledger.py) is the budget shared by every process; queue.py
queues a broadcast as outbox rows; sender.py drains them (store.py for the rows' states,
lease.py for one sender at a time, progress.py for the staff member's progress message);
outcomes.py is what the Telegram layer hands back. Nothing here imports Telegram.
"""
