"""Small helpers every feature uses: clock, settings, words (i18n), text, ids, dates."""
