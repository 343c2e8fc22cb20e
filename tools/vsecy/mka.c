// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy mka status [ DEV ] [ dir DIR ]: what vsecy-mkad reports for DEV,
 * or for every daemon whose control socket is in DIR (default
 * /run/vsecy-mkad, or $VSECY_MKAD_DIR). The daemon answers "STATUS" with
 * one JSON object (its protocol is documented at the top of
 * tools/mkad/ctrl.c); -j prints those objects as a JSON array, otherwise
 * they are shown in the manner of `ip macsec show`. The daemon never
 * puts a key in that answer, so nothing here can print one.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "config.h"
#include "vsecy.h"

#define MKA_DEFAULT_DIR "/run/vsecy-mkad"
#define MKA_MAX_ANSWER 65536

/* A JSON value, parsed in place: enough for the daemon's STATUS answer. */
enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jval {
	enum jtype type;
	char *key;		/* member name inside an object */
	char *str;		/* J_STR, and J_NUM's text */
	double num;
	bool b;
	struct jval *child, *next;
};

static void jfree(struct jval *v)
{
	while (v) {
		struct jval *n = v->next;

		jfree(v->child);
		free(v);
		v = n;
	}
}

static void skip_ws(char **p)
{
	while (isspace((unsigned char)**p))
		(*p)++;
}

/*
 * A string whose quote *p is at, unescaped in place (RFC 8259 7: the
 * daemon escapes quotes, backslashes and control characters; \u00XX is
 * taken as one octet).
 */
static char *jstring(char **p)
{
	char *s = ++*p, *out = s, *in = s;

	for (; *in && *in != '"'; in++) {
		if (*in != '\\') {
			*out++ = *in;
			continue;
		}
		switch (*++in) {
		case 'n': *out++ = '\n'; break;
		case 't': *out++ = '\t'; break;
		case 'r': *out++ = '\r'; break;
		case 'b': *out++ = '\b'; break;
		case 'f': *out++ = '\f'; break;
		case 'u':
			if (!isxdigit((unsigned char)in[1]) || !isxdigit((unsigned char)in[2]) ||
			    !isxdigit((unsigned char)in[3]) || !isxdigit((unsigned char)in[4]))
				return NULL;
			*out++ = (char)strtol((char[]){ in[3], in[4], 0 }, NULL, 16);
			in += 4;
			break;
		case 0:
			return NULL;
		default: *out++ = *in; break;	/* " \\ / */
		}
	}
	if (*in != '"')
		return NULL;
	*out = 0;
	*p = in + 1;
	return s;
}

static struct jval *jparse(char **p, int depth)
{
	struct jval *v, **tail;
	char close;

	if (depth > 16)
		return NULL;
	v = calloc(1, sizeof(*v));
	if (!v)
		return NULL;
	skip_ws(p);
	switch (**p) {
	case '{':
	case '[':
		v->type = **p == '{' ? J_OBJ : J_ARR;
		close = **p == '{' ? '}' : ']';
		(*p)++;
		tail = &v->child;
		skip_ws(p);
		if (**p == close) {
			(*p)++;
			return v;
		}
		for (;;) {
			char *key = NULL;

			skip_ws(p);
			if (v->type == J_OBJ) {
				if (**p != '"' || !(key = jstring(p)))
					goto bad;
				skip_ws(p);
				if (*(*p)++ != ':')
					goto bad;
			}
			*tail = jparse(p, depth + 1);
			if (!*tail)
				goto bad;
			(*tail)->key = key;
			tail = &(*tail)->next;
			skip_ws(p);
			if (**p == ',') {
				(*p)++;
				continue;
			}
			if (*(*p)++ != close)
				goto bad;
			return v;
		}
	case '"':
		v->type = J_STR;
		if (!(v->str = jstring(p)))
			goto bad;
		return v;
	default:
		if (!strncmp(*p, "true", 4) || !strncmp(*p, "false", 5)) {
			v->type = J_BOOL;
			v->b = **p == 't';
			*p += v->b ? 4 : 5;
			return v;
		}
		if (!strncmp(*p, "null", 4)) {
			*p += 4;
			return v;
		}
		v->type = J_NUM;
		v->str = *p;
		v->num = strtod(v->str, p);
		if (*p == v->str)
			goto bad;
		return v;
	}
bad:
	jfree(v);
	return NULL;
}

static const struct jval *jget(const struct jval *o, const char *key)
{
	const struct jval *c;

	for (c = o ? o->child : NULL; c; c = c->next)
		if (c->key && !strcmp(c->key, key))
			return c;
	return NULL;
}

static const char *jstr(const struct jval *o, const char *key)
{
	const struct jval *v = jget(o, key);

	return v && v->type == J_STR ? v->str : "-";
}

static double jnum(const struct jval *o, const char *key)
{
	const struct jval *v = jget(o, key);

	return v && v->type == J_NUM ? v->num : 0;
}

static bool jbool(const struct jval *o, const char *key)
{
	const struct jval *v = jget(o, key);

	return v && v->type == J_BOOL && v->b;
}

/* Asks the daemon behind PATH for its status; the answer goes in buf. */
static int ask(const char *path, char *buf, size_t size)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct pollfd pfd;
	size_t got = 0;
	ssize_t n;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    write(fd, "STATUS\n", 7) != 7)
		goto err;
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (got < size - 1) {
		/* The daemon answers at once; 2 s means it is stuck. */
		if (poll(&pfd, 1, 2000) != 1) {
			errno = ETIMEDOUT;
			goto err;
		}
		n = read(fd, buf + got, size - 1 - got);
		if (n < 0)
			goto err;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = 0;
	if (strncmp(buf, "{", 1)) {
		errno = EPROTO;
		return -1;
	}
	buf[strcspn(buf, "\n")] = 0;
	return 0;
err:
	close(fd);
	return -1;
}

static const char *cs_upper(const char *cs)
{
	static char b[32];
	size_t i;

	for (i = 0; cs[i] && i < sizeof(b) - 1; i++)
		b[i] = (char)toupper((unsigned char)cs[i]);
	b[i] = 0;
	return b;
}

static void print_sak(const char *what, const struct jval *s)
{
	if (!s || s->type != J_OBJ)
		return;
	printf("    %s: KI %s AN %.0f KN %.0f (rx %s, tx %s)\n", what, jstr(s, "ki"),
	       jnum(s, "an"), jnum(s, "kn"), jbool(s, "rx") ? "yes" : "no",
	       jbool(s, "tx") ? "yes" : "no");
}

static void print_peers(const char *what, const struct jval *list)
{
	const struct jval *p;

	for (p = list ? list->child : NULL; p; p = p->next) {
		printf("    %s: SCI %s MI %s MN %.0f priority %.0f%s", what,
		       jstr(p, "sci"), jstr(p, "mi"), jnum(p, "mn"), jnum(p, "priority"),
		       jbool(p, "key_server") ? " key server" : "");
		if (jget(p, "version"))
			printf(" version %.0f capability %.0f%s", jnum(p, "version"),
			       jnum(p, "capability"), jbool(p, "desired") ? "" : " no MACsec");
		if (jget(p, "expires_in"))
			printf(" (expires in %.1f s)", jnum(p, "expires_in"));
		printf("\n");
	}
}

/* The text form, one block per daemon, in the manner of ip macsec show. */
static void print_status(const struct jval *o)
{
	const struct jval *ks = jget(o, "key_server"), *c = jget(o, "counters"),
			  *cp = jget(o, "controlled_port"), *sy = jget(o, "secy"), *e;

	printf("%s: lower %s backend %s CKN %s\n", jstr(o, "ifname"), jstr(o, "lower"),
	       jstr(o, "backend"), jstr(o, "ckn"));
	printf("    SCI %s MI %s MN %.0f priority %.0f", jstr(o, "sci"), jstr(o, "mi"),
	       jnum(o, "mn"), jnum(o, "priority"));
	if (jget(o, "mka_version"))
		printf(" MKA version %.0f, %s", jnum(o, "mka_version"), jstr(o, "policy"));
	printf("\n");
	if (!ks || ks->type != J_OBJ)
		printf("    key server: none elected\n");
	else if (jbool(ks, "self"))
		printf("    key server: self (priority %.0f)\n", jnum(ks, "priority"));
	else
		printf("    key server: SCI %s priority %.0f\n", jstr(ks, "sci"),
		       jnum(ks, "priority"));
	printf("    cipher suite: %s", cs_upper(jstr(o, "cipher_suite")));
	if (jget(o, "confidentiality"))
		printf(", %s, offset %.0f", jbool(o, "confidentiality") ?
		       "confidentiality" : "integrity only", jnum(o, "offset"));
	printf("\n");
	if (jbool(o, "secured"))
		printf("    Secured: yes (%.2f s after start)\n", jnum(o, "secured_after"));
	else
		printf("    Secured: no\n");
	if (cp && cp->type == J_OBJ)
		printf("    controlled port: %s (%s): %s\n", jstr(cp, "connect"),
		       jstr(cp, "state"), jstr(cp, "why"));
	if (sy && sy->type == J_OBJ) {
		printf("    SecY: capability %.0f%s\n", jnum(sy, "capability"),
		       jbool(sy, "events") ? ", PN events" : "");
		e = jget(sy, "error");
		if (e && e->type == J_OBJ)
			printf("    SecY error: %s: %s (%.0f times), retrying\n", jstr(e, "what"),
			       jstr(e, "error"), jnum(e, "count"));
		e = jget(sy, "last_error");
		if (e && e->type == J_OBJ && !(jget(sy, "error") && jget(sy, "error")->type == J_OBJ))
			printf("    last SecY error: %s: %s\n", jstr(e, "what"), jstr(e, "error"));
	}
	e = jget(o, "authenticator");
	if (e && e->type == J_OBJ) {
		printf("    802.1X authenticator: %s, supplicant %s identity \"%s\"",
		       jstr(e, "state"), jget(e, "supplicant") ? jstr(e, "supplicant") : "none",
		       jstr(e, "identity"));
		if (*jstr(e, "eap_method"))
			printf(" EAP %s", jstr(e, "eap_method"));
		printf(", RADIUS server %s\n", jstr(e, "radius_server"));
		if (jget(e, "authenticated_for"))
			printf("    authenticated for %.0f s, CKN %s\n", jnum(e, "authenticated_for"),
			       jstr(e, "ckn"));
	}
	e = jget(o, "supplicant");
	if (e && e->type == J_OBJ) {
		printf("    802.1X supplicant: %s, identity \"%s\", authenticator %s",
		       jstr(e, "state"), jstr(e, "identity"),
		       jget(e, "authenticator") ? jstr(e, "authenticator") : "none");
		if (*jstr(e, "eap_method"))
			printf(" EAP %s", jstr(e, "eap_method"));
		if (*jstr(e, "tls_version"))
			printf(" (%s)", jstr(e, "tls_version"));
		printf("\n");
		if (jget(e, "authenticated_for"))
			printf("    authenticated for %.0f s, CKN %s\n", jnum(e, "authenticated_for"),
			       jstr(e, "ckn"));
	}
	print_sak("SAK", jget(o, "latest_sak"));
	print_sak("old SAK", jget(o, "old_sak"));
	if (jnum(o, "current_an") >= 0)
		printf("    transmitting on AN %.0f\n", jnum(o, "current_an"));
	print_peers("live peer", jget(o, "live_peers"));
	print_peers("potential peer", jget(o, "potential_peers"));
	if (c)
		printf("    MKPDUs: tx %.0f rx %.0f; dropped: bad ICV %.0f, bad length %.0f, "
		       "bad format %.0f, unknown CKN %.0f, stale %.0f, bad destination %.0f\n"
		       "    SAKs: generated %.0f received %.0f; SecY errors %.0f\n",
		       jnum(c, "tx_mkpdu"), jnum(c, "rx_mkpdu"), jnum(c, "rx_bad_icv"),
		       jnum(c, "rx_bad_len"), jnum(c, "rx_bad_format"),
		       jnum(c, "rx_unknown_ckn"), jnum(c, "rx_stale"), jnum(c, "rx_bad_dst"),
		       jnum(c, "saks_generated"), jnum(c, "saks_received"),
		       jnum(c, "secy_errors"));
	if (c && jget(c, "saks_refused"))
		printf("    SAKs refused %.0f; rejoins %.0f; MKPDUs replayed %.0f, with our SCI %.0f\n",
		       jnum(c, "saks_refused"), jnum(c, "rejoins"), jnum(c, "rx_replay"),
		       jnum(c, "rx_same_sci"));
}

/* Shows one daemon; *first tracks the JSON array's commas. */
static int show_one(const char *dir, const char *dev, bool *first)
{
	static char buf[MKA_MAX_ANSWER];
	char path[512], *p;
	struct jval *o;

	snprintf(path, sizeof(path), "%s/%s.sock", dir, dev);
	if (ask(path, buf, sizeof(buf))) {
		vsecy_err("Error: no answer from vsecy-mkad for %s (%s): %s", dev, path,
			  strerror(errno));
		return 1;
	}
	if (opt_json) {
		printf("%s%s", *first ? "" : ",", buf);
		*first = false;
		return 0;
	}
	if (!*first)
		printf("\n");
	*first = false;
	p = buf;
	o = jparse(&p, 0);
	if (!o || o->type != J_OBJ) {
		jfree(o);
		vsecy_err("Error: vsecy-mkad for %s answered something unreadable", dev);
		return 1;
	}
	print_status(o);
	jfree(o);
	return 0;
}

static int cmd_mka_status(int argc, char **argv)
{
	const char *dir = getenv("VSECY_MKAD_DIR"), *dev = NULL;
	bool first = true;
	int rc = 0;

	if (!dir || !*dir)
		dir = MKA_DEFAULT_DIR;
	for (; argc > 0; argc--, argv++) {
		if (!strcmp(argv[0], "dir") && argc > 1) {
			dir = argv[1];
			argc--;
			argv++;
		} else if (!dev && !strchr(argv[0], '/')) {
			dev = argv[0];
		} else {
			vsecy_err("Error: expected: mka status [ DEV ] [ dir DIR ]");
			return 1;
		}
	}
	if (opt_json)
		printf("[");
	if (dev) {
		rc = show_one(dir, dev, &first);
	} else {
		struct dirent **ents;
		int i, n = scandir(dir, &ents, NULL, alphasort);

		if (n < 0) {
			if (opt_json)
				printf("]\n");
			if (errno == ENOENT)
				return 0;	/* no daemon has run */
			vsecy_err("Error: %s: %s", dir, strerror(errno));
			return 1;
		}
		for (i = 0; i < n; i++) {
			char *name = ents[i]->d_name;
			size_t len = strlen(name);

			if (len > 5 && !strcmp(name + len - 5, ".sock")) {
				name[len - 5] = 0;
				rc |= show_one(dir, name, &first);
			}
			free(ents[i]);
		}
		free(ents);
	}
	if (opt_json)
		printf("]\n");
	return rc;
}

int cmd_mka(int argc, char **argv)
{
	if (argc < 1 || matches(argv[0], "status"))
		return cmd_mka_status(argc ? argc - 1 : 0, argv + (argc ? 1 : 0));
	vsecy_err("Error: expected: mka status [ DEV ] [ dir DIR ]");
	return 1;
}
