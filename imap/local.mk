# imap/: (filled in by its module)
