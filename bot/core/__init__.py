"""The command core: a neutral Request in, neutral Replies out; knows no platform and no feature."""
