"""The weekly digest: built from each feature's sections, planned and posted per channel."""
