"""Platform adapters: translation and rendering only; no business rule lives here."""
