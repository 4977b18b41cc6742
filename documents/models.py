"""Models of documents: filled by their capability issue."""
