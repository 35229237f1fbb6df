"""The committed schema: Tortoise migrations, applied by `standing migrate`. Never renamed: they are recorded by file name."""
