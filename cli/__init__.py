"""The `standing` command line and the tools beside it: the demo simulator, the JSON Lines importer and
the generators of the docs' tables. They call the domain's use cases like any other entry point."""
