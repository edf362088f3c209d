# parser/: (filled in by its module)
