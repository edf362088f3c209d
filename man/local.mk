# man/: (filled in by its module)
dist_man_MANS += man/mailorder.conf.5
