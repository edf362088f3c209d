/*
 * The queue's setup and the helpers every screen uses: column-aware
 * drawing of UTF-8, the message line, prompts, polling the store for
 * changes, and handing the terminal to $EDITOR.
 */
#include "config.h"

#include <sys/wait.h>

#include <errno.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "common/buf.h"
#include "common/xmalloc.h"
#include "store/operator.h"
#include "tui/tui_int.h"

const struct tui_key *
tui_key_find(const struct tui_key *keys, int ch)
{
	for (; keys->label != NULL; keys++)
		if (keys->key == ch)
			return keys;
	return NULL;
}

void
tui_put(int y, int x, int width, const char *s, attr_t attr, int pad)
{
	mbstate_t ps;
	wchar_t wc;
	size_t n, left;
	int w, used = 0;

	if (y < 0 || y >= LINES || x >= COLS || width <= 0)
		return;
	if (x + width > COLS)
		width = COLS - x;
	memset(&ps, 0, sizeof(ps));
	move(y, x);
	attron(attr);
	left = s != NULL ? strlen(s) : 0;
	while (left > 0) {
		n = mbrtowc(&wc, s, left, &ps);
		if (n == (size_t)-1 || n == (size_t)-2) {
			/* Not UTF-8: show a placeholder, go on. */
			memset(&ps, 0, sizeof(ps));
			n = 1;
			wc = L'?';
			if (used + 1 > width)
				break;
			addch('?');
			used++;
		} else {
			if (n == 0)
				break;
			if (wc == L'\t' || wc == L'\n' || wc == L'\r')
				wc = L' ';
			w = wcwidth(wc);
			if (w < 0) {
				w = 1;
				wc = L'?';
			}
			if (used + w > width)
				break;
			if (wc == L' ' || wc == L'?')
				addch((chtype)wc);
			else
				addnstr(s, (int)n);
			used += w;
		}
		s += n;
		left -= n;
	}
	while (pad && used < width) {
		addch(' ');
		used++;
	}
	attroff(attr);
}

void
tui_bar(int y, const char *left, const char *right)
{
	int rw = right != NULL ? (int)strlen(right) : 0;

	tui_put(y, 0, COLS, left, A_REVERSE, 1);
	if (right != NULL && rw < COLS)
		tui_put(y, COLS - rw - 1, rw, right, A_REVERSE, 0);
}

void
tui_msg(struct tui *t, int is_err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof(t->msg), fmt, ap);
	va_end(ap);
	t->msg_err = is_err;
}

void
tui_msg_draw(struct tui *t, int y)
{
	attr_t a = A_NORMAL;

	if (t->msg_err)
		a = t->colors ? (attr_t)COLOR_PAIR(TUI_PAIR_ERR) | A_BOLD :
		    A_BOLD;
	tui_put(y, 0, COLS, t->msg, a, 1);
}

/* Draw the bottom-line prompt: the question, the answer so far, the
 * answer's tail when the two do not fit. */
static void
tui_prompt_draw(const char *question, const char *answer, size_t len)
{
	int y = LINES - 1, qw = (int)strlen(question);
	size_t room = COLS > qw + 1 ? (size_t)(COLS - qw - 1) : 1;
	const char *tail = answer;

	if (len > room) {
		tail = answer + len - room;
		while (tail > answer && ((unsigned char)*tail & 0xc0) == 0x80)
			tail++;
	}
	tui_put(y, 0, COLS, question, A_BOLD, 1);
	if (qw < COLS - 1)
		tui_put(y, qw, COLS - qw, tail, A_NORMAL, 1);
	move(y, qw + (int)strlen(tail) < COLS ? qw + (int)strlen(tail) :
	    COLS - 1);
	refresh();
}

/* Backspace: the last character, all its UTF-8 bytes. */
static size_t
tui_prompt_rubout(const char *out, size_t len)
{
	while (len > 0 && ((unsigned char)out[len - 1] & 0xc0) == 0x80)
		len--;
	return len > 0 ? len - 1 : 0;
}

/* The prompts' loop; an empty answer is one only when optional. */
static int
tui_prompt_read(struct tui *t, const char *question, const char *initial,
    char *out, size_t outsz, int optional)
{
	size_t len = 0;
	int ch, rc = 0;

	out[0] = '\0';
	if (initial != NULL && (len = strlen(initial)) < outsz)
		memcpy(out, initial, len + 1);
	else
		len = 0;
	curs_set(1);
	timeout(-1);
	for (;;) {
		tui_prompt_draw(question, out, len);
		ch = getch();
		if (ch == '\n' || ch == '\r' || ch == KEY_ENTER)
			break;
		if (ch == 27 || ch == ERR) {
			rc = -1;
			break;
		}
		if (ch == KEY_BACKSPACE || ch == 127 || ch == 8)
			len = tui_prompt_rubout(out, len);
		else if (ch == 21)	/* ^U, as a shell's line editor */
			len = 0;
		else if (ch >= 0x20 && ch <= 0xff && ch != 0x7f &&
		    len + 1 < outsz)
			out[len++] = (char)ch;
		out[len] = '\0';
	}
	curs_set(0);
	timeout(TUI_POLL_MS);
	if (rc == -1 || (len == 0 && !optional)) {
		out[0] = '\0';
		tui_msg(t, 0, "cancelled");
		return -1;
	}
	return 0;
}

int
tui_prompt_with(struct tui *t, const char *question, const char *initial,
    char *out, size_t outsz)
{
	return tui_prompt_read(t, question, initial, out, outsz, 0);
}

int
tui_prompt_optional(struct tui *t, const char *question, char *out,
    size_t outsz)
{
	return tui_prompt_read(t, question, NULL, out, outsz, 1);
}

int
tui_prompt(struct tui *t, const char *question, char *out, size_t outsz)
{
	return tui_prompt_with(t, question, NULL, out, outsz);
}

int
tui_confirm(struct tui *t, const char *question)
{
	int ch;

	tui_put(LINES - 1, 0, COLS, question, A_BOLD, 1);
	refresh();
	timeout(-1);
	ch = getch();
	timeout(TUI_POLL_MS);
	return ch == 'y' || ch == 'Y';
}

int
tui_changed(struct tui *t)
{
	struct err err;
	int64_t v;

	err_clear(&err);
	if (store_operator_data_version(t->st, &v, &err) == -1)
		return 0;
	if (v == t->data_version)
		return 0;
	t->data_version = v;
	return 1;
}

/* Run the editor on path with the terminal handed over. */
static int
tui_editor(const char *path)
{
	const char *editor;
	pid_t pid;
	int status;

	if ((editor = getenv("VISUAL")) == NULL || *editor == '\0')
		if ((editor = getenv("EDITOR")) == NULL || *editor == '\0')
			editor = "vi";
	def_prog_mode();
	endwin();
	if ((pid = fork()) == -1)
		status = -1;
	else if (pid == 0) {
		/* The editor may carry arguments ("emacs -nw"): let the
		 * shell split it, and pass the file as "$1". */
		execl("/bin/sh", "sh", "-c", "exec $0 \"$1\"", editor, path,
		    (char *)NULL);
		_exit(127);
	} else {
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			;
	}
	reset_prog_mode();
	refresh();
	return status == 0 ? 0 : -1;
}

static int
is_scissors(const char *line)
{
	size_t n = strlen(TUI_SCISSORS);

	return strncmp(line, TUI_SCISSORS, n) == 0 &&
	    strspn(line + n, " \t\r\n") == strlen(line + n);
}

/* What the operator wrote: the lines above the scissors line, or, when
 * they took it out, every line that is not a '#' comment. */
static void
edited_text(FILE *fp, struct buf *b)
{
	char line[4096];
	struct buf plain;

	buf_init(&plain, 64 * 1024);
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (is_scissors(line)) {
			buf_release(&plain);
			return;
		}
		buf_adds(b, line);
		if (line[0] != '#')
			buf_adds(&plain, line);
	}
	buf_reset(b);
	buf_adds(b, buf_str(&plain));
	buf_release(&plain);
}

int
tui_edit_text(struct tui *t, const char *initial, char **text_r)
{
	char path[] = "/tmp/mailorder-reply.XXXXXX";
	struct buf b;
	FILE *fp;
	int fd, rc;

	*text_r = NULL;
	if ((fd = mkstemp(path)) == -1) {
		tui_msg(t, 1, "cannot create a temporary file: %s",
		    strerror(errno));
		return -1;
	}
	if ((fp = fdopen(fd, "w")) == NULL) {
		close(fd);
		unlink(path);
		return -1;
	}
	fputs(initial, fp);
	fclose(fp);
	rc = tui_editor(path);
	buf_init(&b, 64 * 1024);
	if (rc == 0 && (fp = fopen(path, "r")) != NULL) {
		edited_text(fp, &b);
		fclose(fp);
	}
	unlink(path);
	if (rc != 0) {
		buf_release(&b);
		tui_msg(t, 1, "the editor failed; nothing sent");
		return -1;
	}
	*text_r = buf_detach(&b, NULL);
	if (strspn(*text_r, " \t\r\n") == strlen(*text_r)) {
		free(*text_r);
		*text_r = NULL;
		tui_msg(t, 0, "empty message; nothing sent");
		return -1;
	}
	return 0;
}

void
tui_age(const char *iso, char *out, size_t outsz)
{
	struct tm tm;
	time_t then, d;

	memset(&tm, 0, sizeof(tm));
	if (iso == NULL || strptime(iso, "%Y-%m-%dT%H:%M:%S", &tm) == NULL) {
		snprintf(out, outsz, "?");
		return;
	}
	then = timegm(&tm);
	d = time(NULL) - then;
	if (d < 0)
		d = 0;
	if (d < 3600)
		snprintf(out, outsz, "%lldm", (long long)(d / 60));
	else if (d < 86400 * 2)
		snprintf(out, outsz, "%lldh", (long long)(d / 3600));
	else
		snprintf(out, outsz, "%lldd", (long long)(d / 86400));
}

int
tui_run(const struct tui_conf *conf, struct err *err)
{
	struct tui t;

	memset(&t, 0, sizeof(t));
	t.conf = conf;
	t.st = conf->review->store;
	setlocale(LC_ALL, "");
	/* Escape should leave a prompt at once, not after a second. */
	if (getenv("ESCDELAY") == NULL)
		setenv("ESCDELAY", "25", 0);
	if (newterm(NULL, stdout, stdin) == NULL)
		return err_set(err, ERR_CONFIG, "cannot use the terminal "
		    "'%s'", getenv("TERM") ? getenv("TERM") : "");
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	timeout(TUI_POLL_MS);
	if (has_colors()) {
		start_color();
		use_default_colors();
		init_pair(TUI_PAIR_SPAN, COLOR_YELLOW, -1);
		init_pair(TUI_PAIR_FLAG, COLOR_RED, -1);
		init_pair(TUI_PAIR_ERR, COLOR_RED, -1);
		t.colors = 1;
	}
	tui_changed(&t);
	tui_list_run(&t);
	endwin();
	return 0;
}
