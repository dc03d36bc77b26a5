"""Ting (听): an open, offline-first bilingual voice assistant.

Layout: ``lang`` (language identification, tokenizing), ``values`` (typed value parsers and
speakable formatting), ``nlu`` (intent templates, matcher and statistical models), ``dialog``
(conversation state), ``skills`` (the skill framework and built-in skills), ``store`` (storage),
``scheduler`` (timers, alarms, reminders), ``assistant`` (one text turn end to end), ``cli``.
"""

__version__ = "0.1.0"
