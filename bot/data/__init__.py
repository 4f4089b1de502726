"""Data the bot ships: the sample influencer CSV and the Indonesian word and place tables.

Kept apart from the code that reads them so the parsers stay short and a table can be
extended without touching any logic.
"""
