# man/: (filled in by its module)
dist_man_MANS += man/mailorder.1 man/mailorder.conf.5 man/mailorderd.8
