# import/: (filled in by its module)
