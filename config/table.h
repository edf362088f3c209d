/*
 * The settings table, private to config/.  One row per setting; the
 * loader, config_dump() and the documentation writers walk it, so adding a
 * row is all it takes to add a setting.
 */
#ifndef MO_CONFIG_TABLE_H
#define MO_CONFIG_TABLE_H

#include <stddef.h>

enum config_sect {
	CONFIG_SECT_STORE,
	CONFIG_SECT_RULES,
	CONFIG_SECT_IMAP,	/* [imap] and every [imap.NAME] */
	CONFIG_SECT_SMTP,
	CONFIG_SECT_REPLY,
	CONFIG_SECT_CARRIERS,	/* named: carrier = tracking link */
	CONFIG_SECT_OPERATORS,	/* named: login = the name that signs */
	CONFIG_SECT_POLICY,
	CONFIG_SECT_STATUS,
	CONFIG_SECT_METRICS,
	CONFIG_SECT_ALERTS,
	CONFIG_SECT_LOG,
	CONFIG_SECT_WEBHOOK,
	CONFIG_SECT_COUNT
};

enum config_type {
	CONFIG_TYPE_STRING,	/* char *; empty means unset (NULL) */
	CONFIG_TYPE_LIST,	/* char ** + size_t count, space-separated */
	CONFIG_TYPE_INT,	/* long, range min..max */
	CONFIG_TYPE_SIZE,	/* size_t, with K/M/G (binary) suffixes */
	CONFIG_TYPE_DOUBLE,	/* double, range dmin..dmax */
	CONFIG_TYPE_BOOL,	/* int, yes/no */
	CONFIG_TYPE_CHOICE,	/* int (or an enum), one of choices */
	CONFIG_TYPE_REFUSED,	/* an inline secret: always a problem */
};

#define CONFIG_F_REQUIRED	0x01	/* must be set when the section is */
#define CONFIG_F_SECRET_SOURCE	0x02	/* at most one per section */
#define CONFIG_F_HIDDEN		0x04	/* config_dump() shows "(set)" */
#define CONFIG_F_CREDENTIAL	0x08	/* a systemd credential name */
#define CONFIG_F_ADDRESS	0x10	/* a bare mail address */
#define CONFIG_F_PATH		0x20	/* $DATADIR etc. expanded */

struct config_choice {
	const char	*name;
	int		 value;
};

struct config_setting {
	enum config_sect		 sect;
	const char			*name;
	enum config_type		 type;
	/* The default as it would be written in the file (NULL: none).  Path
	 * defaults start with $DATADIR, $SYSCONFDIR or $STATEDIR so the
	 * documentation does not depend on the build's prefix. */
	const char			*def;
	/* Set when the default is computed from other settings; it is what
	 * the documentation says instead of def. */
	const char			*def_doc;
	long long			 min, max;	/* INT and SIZE; min >= 0 */
	double				 dmin, dmax;	/* DOUBLE */
	const struct config_choice	*choices;	/* CHOICE; NULL-terminated */
	size_t				 off;		/* in the section's struct */
	size_t				 count_off;	/* LIST: where the count goes */
	int				 flags;
	const char			*arg;		/* the value's name in docs */
	const char			*help;
};

struct config_section {
	const char	*name;
	const char	*help;
	/* A section of names the shop chooses has no rows: these say how
	 * one of its lines is written, for the documentation and the
	 * example file.  NULL for the sections of the table. */
	const char	*key;		/* "carrier" */
	const char	*value;		/* "url" */
	const char	*key_help;
	const char	*example;	/* "evri = https://...": commented */
};

extern const struct config_setting	config_settings[];
extern const size_t			config_nsettings;
extern const struct config_section	config_sections[CONFIG_SECT_COUNT];

/* The row for name in section sect, or NULL. */
const struct config_setting *config_setting_find(enum config_sect,
		    const char *name);

/* Expand a leading $DATADIR, $SYSCONFDIR or $STATEDIR; returns an
 * allocated string. */
char	*config_path_expand(const char *);

/* The name of a choice's value, or "?". */
const char *config_choice_name(const struct config_choice *, int value);

/* Format a size as the shortest exact "16M"-style string. */
void	config_size_format(unsigned long long, char *, size_t);

#endif
