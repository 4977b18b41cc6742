"""Models of workflow: filled by their capability issue."""
