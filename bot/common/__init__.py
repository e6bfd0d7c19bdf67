"""Small pieces every feature uses: clock, settings, words (i18n), text, ids, dates, and the
privacy rules that must have exactly one implementation."""
