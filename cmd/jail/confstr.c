/*
 * jail.conf(5)'s strings and statements as written (confparse.h): what
 * the scanner makes of each piece of a value, and what the grammar makes
 * of a statement, before any jail is resolved.
 */
#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "confparse.h"

void *
array_grow(void *array, size_t n, size_t size)
{
	/* At 0, 1, 2, 4, 8...: the capacity goes to 1, 2, 4, 8, 16... */
	if ((n & (n - 1)) != 0)
		return array;
	return ereallocarray(array, n != 0 ? 2 * n : 1, size);
}

/*
 * The bytes allocated for a text of LEN bytes and its NUL: a power of two,
 * so that appending a byte at a time costs a reallocation only now and
 * then, without a capacity field in struct cfstring.
 */
static size_t
text_cap(size_t len)
{
	size_t cap = 16;

	while (cap < len + 1)
		cap <<= 1;
	return cap;
}

static void
text_add(struct cfstring *s, const char *p, size_t n)
{
	if (text_cap(s->len + n) != text_cap(s->len))
		s->s = ereallocarray(s->s, text_cap(s->len + n), 1);
	memcpy(s->s + s->len, p, n);
	s->len += n;
	s->s[s->len] = '\0';
}

static void
ref_add(struct cfstring *s, char *name, size_t pos)
{
	s->refs = array_grow(s->refs, (size_t)s->nrefs, sizeof(*s->refs));
	s->refs[s->nrefs].pos = pos;
	s->refs[s->nrefs].name = name;
	s->nrefs++;
}

struct cfstring *
cfstr_new(void)
{
	struct cfstring *s = emalloc(sizeof(*s));

	s->s = emalloc(text_cap(0));
	return s;
}

/* Free what S holds, not S itself (it may be in an array). */
static void
cfstr_clear(struct cfstring *s)
{
	for (int i = 0; i < s->nrefs; i++)
		free(s->refs[i].name);
	free(s->refs);
	free(s->s);
	memset(s, 0, sizeof(*s));
}

void
cfstr_free(struct cfstring *s)
{
	if (s == NULL)
		return;
	cfstr_clear(s);
	free(s);
}

void
cfstr_cat(struct cfstring *dst, struct cfstring *src)
{
	for (int i = 0; i < src->nrefs; i++) {
		ref_add(dst, src->refs[i].name, dst->len + src->refs[i].pos);
		src->refs[i].name = NULL;
	}
	text_add(dst, src->s, src->len);
	cfstr_free(src);
}

/* Letters, digits and underscores, as in C names; in any locale. */
static int
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int
is_alnum(int c)
{
	return is_alpha(c) || (c >= '0' && c <= '9');
}

/* The value of hex digit C, or -1. */
static int
hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * The escape after a backslash at T[0] (N bytes left): its character in
 * *C, or -1 for an escaped newline, which writes nothing.  Returns the
 * bytes it takes.  As FreeBSD's jail(8): up to three octal digits, \x and
 * up to two hex digits, the C letters, and any other character stands
 * for itself ("\$" for a dollar, "\"" for a quote).
 */
static size_t
unescape(const char *t, size_t n, int *c)
{
	static const char letters[] = "a\ab\bf\fn\nr\rt\tv\v";
	const char *l;
	size_t i = 0;
	int v = 0;

	if (n == 0) {
		/* A backslash that ends the input: itself. */
		*c = '\\';
		return 0;
	}
	if (t[0] >= '0' && t[0] <= '7') {
		while (i < n && i < 3 && t[i] >= '0' && t[i] <= '7')
			v = v * 8 + (t[i++] - '0');
		*c = v & 0xff;
		return i;
	}
	if (t[0] == 'x') {
		for (i = 1; i < n && i < 3 && hex_value(t[i]) >= 0; i++)
			v = v * 16 + hex_value(t[i]);
		*c = v;
		return i;
	}
	if (t[0] == '\n') {
		*c = -1;
		return 1;
	}
	l = t[0] != '\0' ? strchr(letters, t[0]) : NULL;
	*c = l != NULL && (l - letters) % 2 == 0 ? l[1] : (unsigned char)t[0];
	return 1;
}

/*
 * A reference at T[0] == '$' (N bytes left) in a double-quoted string:
 * "$name" or "${name}".  Returns its length with the name in *NAME, 0 for
 * a dollar that is only a dollar, or -1 for a "${" that does not end
 * before the string, the line or a brace does.
 */
static long
reference(const char *t, size_t n, char **name)
{
	size_t i;

	*name = NULL;
	if (n > 1 && is_alpha(t[1])) {
		for (i = 2; i < n && is_alnum(t[i]); i++)
			;
		*name = emalloc(i);
		memcpy(*name, t + 1, i - 1);
		return (long)i;
	}
	if (n < 2 || t[1] != '{')
		return 0;
	for (i = 2; i < n; i++) {
		if (t[i] == '\\')
			i++;
		else if (t[i] == '}') {
			struct cfstring *s = cfstr_decode(t + 2, i - 2, 0);

			*name = s->s;
			s->s = NULL;
			cfstr_free(s);
			return (long)i + 1;
		} else if (t[i] == '\n' || t[i] == '{')
			break;
	}
	return -1;
}

struct cfstring *
cfstr_decode(const char *text, size_t len, int vars)
{
	struct cfstring *s = cfstr_new();
	size_t i = 0;
	int lost = 0;

	while (i < len) {
		char *name;
		long rlen;
		int c;

		if (vars && text[i] == '$' &&
		    (rlen = reference(text + i, len - i, &name)) != 0) {
			if (rlen < 0) {
				cfstr_free(s);
				return NULL;
			}
			ref_add(s, name, s->len);
			i += (size_t)rlen;
			lost = 0;
			continue;
		}
		if (text[i] == '\\') {
			i++;
			i += unescape(text + i, len - i, &c);
			if (c < 0)
				continue;
		} else
			c = (unsigned char)text[i++];
		/*
		 * A NUL ends the text as FreeBSD's C strings end it: what
		 * follows is lost up to the next reference.
		 */
		if (c == '\0')
			lost = 1;
		if (!lost) {
			char ch = (char)c;

			text_add(s, &ch, 1);
		}
	}
	return s;
}

struct cfstring *
cfstr_var(const char *name, size_t len)
{
	struct cfstring *s = cfstr_new();
	struct cfstring *n = cfstr_decode(name, len, 0);

	ref_add(s, n->s, 0);
	n->s = NULL;
	cfstr_free(n);
	return s;
}

/* ---- Statements ---- */

struct cfstmt *
stmt_name(struct conf_file *cf, struct cfstring *name, unsigned flags,
    int line)
{
	struct cfstmt *st = emalloc(sizeof(*st));

	st->flags = flags;
	st->block = -1;
	st->where.file = cf->name;
	st->where.line = line;
	if (flags & PF_VAR) {
		/* "$x" or "${x}": a reference and no text. */
		st->name = name->refs[0].name;
		name->refs[0].name = NULL;
	} else {
		if (name->nrefs > 0)
			conf_error(cf->name, line,
			    "variables not permitted in a parameter name");
		st->name = name->s;
		name->s = NULL;
	}
	cfstr_free(name);
	return st;
}

/* A statement with no name yet, holding the first value of a list. */
struct cfstmt *
stmt_value(struct cfstring *val)
{
	struct cfstmt *st = emalloc(sizeof(*st));

	st->block = -1;
	stmt_add_value(st, val);
	return st;
}

void
stmt_add_value(struct cfstmt *st, struct cfstring *val)
{
	st->vals = array_grow(st->vals, (size_t)st->nvals, sizeof(*st->vals));
	st->vals[st->nvals++] = *val;
	free(val);
}

/* ST, with the values of VALS (which is freed) and FLAGS added. */
struct cfstmt *
stmt_take_values(struct cfstmt *st, struct cfstmt *vals, unsigned flags)
{
	free(st->vals);
	st->vals = vals->vals;
	st->nvals = vals->nvals;
	st->flags |= flags;
	vals->vals = NULL;
	vals->nvals = 0;
	stmt_free(vals);
	return st;
}

void
stmt_free(struct cfstmt *st)
{
	if (st == NULL)
		return;
	for (int i = 0; i < st->nvals; i++)
		cfstr_clear(&st->vals[i]);
	free(st->vals);
	free(st->name);
	free(st);
}
