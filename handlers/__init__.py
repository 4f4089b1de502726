"""Thin Telegram handlers: translate updates to domain calls and replies back."""
