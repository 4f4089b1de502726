"""Influencer-strategy advisor for Indonesian UMKM, on Telegram."""
