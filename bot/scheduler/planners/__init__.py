"""One module per feature that turns stored facts into jobs; each defines `plan(window)`."""
