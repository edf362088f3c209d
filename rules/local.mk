# rules/: (filled in by its module)
