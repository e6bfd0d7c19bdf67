"""The agreement: which one is in force, its file and seed, its yearly cycle and its end."""
