"""Models of personnel: filled by their capability issue."""
