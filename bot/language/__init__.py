"""Indonesian chat text to domain values; plain Python, no Telegram, no database.

text: folding and phrase lookup shared by all parsers. numerals, money, money_spans:
amounts, budgets, counts and percentages. niches, goals, platforms, locations (with
places for the gazetteer lookups): one brief field each. brief: every field one message
names. dates, performance_line, post_urls: campaign dates and post figures.
"""
