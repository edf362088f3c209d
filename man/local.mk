# man/: (filled in by its module)
