# examples/: (filled in by its module)
