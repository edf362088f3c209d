# config/: (filled in by its module)
