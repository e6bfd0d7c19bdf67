"""Joint communications: drafts that go out only when every party has approved them."""
