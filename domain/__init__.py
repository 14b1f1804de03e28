"""Pure rules of the score list: scoring, task fit, phases, progress. No Telegram, no database."""
