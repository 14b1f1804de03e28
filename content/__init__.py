"""The instrument (the brochure's score list) and every text the bot shows, loaded from YAML."""

from content.loader import Content, ContentError, Language, load_content
from content.model import Answer, Competency, Instrument, Phase, Statement, Task
from content.texts import Texts

__all__ = [
    "Answer",
    "Competency",
    "Content",
    "ContentError",
    "Instrument",
    "Language",
    "Phase",
    "Statement",
    "Task",
    "Texts",
    "load_content",
]
