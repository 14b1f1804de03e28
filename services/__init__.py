"""Use cases of the bot: what happens when a person starts, answers, goes back, asks a summary.

Services combine the pure rules in domain/ with storage/; they know nothing of Telegram, so the
handlers only translate updates into calls and results into messages.
"""
