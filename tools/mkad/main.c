// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: MACsec Key Agreement daemon for one port or several.
 *
 *   vsecy-mkad -i LOWER [-c CONF] [-n IFNAME] [-b BACKEND] [-i LOWER ...]
 *              [-B] [-f LOGFILE] [-P PIDFILE] [-d] [-C CTRLDIR]
 *
 * Each -i starts a port; -c, -n and -b after it are that port's (before
 * the first -i: every port's default), as wpa_supplicant reads -i/-c
 * pairs (-N between them is accepted and means nothing more).
 *
 * One event loop (loop.c): each port's EAPOL socket, its SecY's events,
 * its control socket and the timers of its participants and CP; a
 * signalfd (SIGTERM and SIGINT end the daemon after removing what it
 * created and wiping keys, SIGHUP rereads each port's CONF). Keys are
 * kept out of core dumps (secmem.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>

#include "conf.h"
#include "ctrl.h"
#include "keysrc.h"
#include "log.h"
#include "loop.h"
#include "port.h"
#include "port_auth.h"
#include "port_supp.h"
#include "qkd_conf.h"
#include "secmem.h"

#define MAX_PORTS	16

struct port_arg {
	const char *lower, *conf, *ifname, *backend;
};

struct daemon {
	struct loop loop;
	int n_ports;
	struct port_arg args[MAX_PORTS];
	struct port *ports[MAX_PORTS];
	struct keysrc *keysrc[MAX_PORTS];
	struct keysrc *qkd[MAX_PORTS];	/* a key provider (qkd_*), or NULL */
	struct ctrl ctrl[MAX_PORTS];
	int sfd;
	struct loop_fd sig;
};

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: vsecy-mkad -i LOWER [-c CONF] [-n IFNAME] [-b BACKEND] [-i LOWER ...]\n"
		"                  [-B] [-f LOGFILE] [-P PIDFILE] [-d] [-C CTRLDIR]\n"
		"  -i LOWER    Ethernet device to run MKA on (once per port)\n"
		"  -c CONF     wpa_supplicant.conf (MACsec PSK blocks, or an 802.1X\n"
		"              supplicant with EAP-TLS) or hostapd.conf (authenticator)\n"
		"  -n IFNAME   name of the SecY device (default vsecy-LOWER)\n"
		"  -b BACKEND  vsecy (default): the vsecy module; macsec: the kernel's\n"
		"              macsec driver; log[:OPTS]: only log what would be installed\n"
		"  -B          run in the background\n"
		"  -f LOGFILE  log to LOGFILE instead of stderr\n"
		"  -P PIDFILE  write the process id to PIDFILE\n"
		"  -d          debug messages\n"
		"  -C CTRLDIR  control socket directory (default " MKAD_CTRL_DIR ")\n"
		"       vsecy-mkad -n IFNAME -q STATUS|REKEY|PING [-C CTRLDIR]\n"
		"  -q CMD      send CMD to the daemon serving IFNAME, print the answer\n");
}

/* The CAKs of conf, for its key source. */
static int caks_of(const struct mkad_conf *conf, struct keysrc_cak *caks)
{
	int i;

	memset(caks, 0, sizeof(*caks) * MKAD_MAX_CA);
	for (i = 0; i < conf->n_ca; i++) {
		memcpy(caks[i].cak, conf->ca[i].cak, conf->ca[i].cak_len);
		caks[i].cak_len = conf->ca[i].cak_len;
		memcpy(caks[i].ckn, conf->ca[i].ckn, conf->ca[i].ckn_len);
		caks[i].ckn_len = conf->ca[i].ckn_len;
	}
	return conf->n_ca;
}

static int open_port(struct daemon *d, int i, const char *ctrl_dir)
{
	struct port_arg *a = &d->args[i];
	static struct mkad_conf conf;
	static struct keysrc_cak caks[MKAD_MAX_CA];
	char err[256], ifname[IF_NAMESIZE];
	int rc = -1, n;

	if (strlen(a->lower) >= IF_NAMESIZE) {
		log_err("bad device name %s", a->lower);
		return -1;
	}
	if (a->ifname)
		snprintf(ifname, sizeof(ifname), "%s", a->ifname);
	else
		snprintf(ifname, sizeof(ifname), "vsecy-%.9s", a->lower);
	if (conf_load(a->conf, &conf, err, sizeof(err))) {
		log_err("%s", err);
		return -1;
	}
	n = caks_of(&conf, caks);
	d->keysrc[i] = keysrc_psk_new(&d->loop, caks, n, 0);
	crypto_wipe(caks, sizeof(caks));
	d->ports[i] = secmem_alloc(sizeof(struct port));
	if (!d->keysrc[i] || !d->ports[i])
		goto out;
	if (port_open(d->ports[i], &d->loop, a->lower, ifname, a->backend, &conf,
		      d->keysrc[i], NULL))
		goto out;
	if (conf.qkd.mode != MKAD_QKD_OFF) {
		d->qkd[i] = qkd_source_new(&d->loop, &conf.qkd);
		if (!d->qkd[i])
			goto out;
		port_set_qkd(d->ports[i], d->qkd[i], &conf.qkd);
	}
	if (conf.auth.enabled && !port_auth_new(d->ports[i], &conf.auth))
		goto out;
	if (conf.supp.enabled && !port_supp_new(d->ports[i], &conf.supp))
		goto out;
	snprintf(d->ports[i]->conf_path, sizeof(d->ports[i]->conf_path), "%s", a->conf);
	rc = ctrl_open(&d->ctrl[i], &d->loop, d->ports[i], ctrl_dir);
	log_info("vsecy-mkad on %s: SecY %s (%s backend), control %s", a->lower, ifname,
		 d->ports[i]->secy.ops->name, rc ? "none" : d->ctrl[i].path);
	rc = 0;
out:
	conf_wipe(&conf);
	return rc;
}

static void reload(struct daemon *d)
{
	static struct mkad_conf conf;
	static struct keysrc_cak caks[MKAD_MAX_CA];
	char err[256];
	int i, n;

	for (i = 0; i < d->n_ports; i++) {
		struct port *p = d->ports[i];

		mkad_log_context(p->name);
		if (p->auth || p->supp) {
			log_info("SIGHUP: %s (an 802.1X %s's) applies at restart only",
				 p->conf_path, p->auth ? "authenticator" : "supplicant");
			continue;
		}
		log_info("SIGHUP: rereading %s", p->conf_path);
		if (conf_load(p->conf_path, &conf, err, sizeof(err))) {
			log_err("%s; keeping the running configuration", err);
			continue;
		}
		n = caks_of(&conf, caks);
		keysrc_psk_set(d->keysrc[i], caks, n);
		crypto_wipe(caks, sizeof(caks));
		port_reconfigure(p, &conf);
		conf_wipe(&conf);
	}
}

static void on_signal(void *ctx, uint32_t events)
{
	struct daemon *d = ctx;
	struct signalfd_siginfo si;

	(void)events;
	while (read(d->sfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			reload(d);
		} else {
			mkad_log_context(NULL);
			log_info("signal %u: shutting down", si.ssi_signo);
			loop_stop(&d->loop);
		}
	}
}

static int setup_signals(struct daemon *d)
{
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	d->sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (d->sfd < 0)
		return -1;
	return loop_add_fd(&d->loop, &d->sig, d->sfd, EPOLLIN, on_signal, d);
}

/*
 * -B: the parent exits once the child is running (pidfile written), with
 * the child's verdict, so that a Type=forking unit sees the pidfile.
 */
static int daemonize(int *ready_fd, bool logfile)
{
	int pipefd[2], fd;
	pid_t pid;
	char ok = 0;

	if (pipe2(pipefd, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid > 0) {
		close(pipefd[1]);
		if (read(pipefd[0], &ok, 1) != 1)
			ok = 0;
		_exit(ok == 1 ? 0 : 1);
	}
	close(pipefd[0]);
	*ready_fd = pipefd[1];
	setsid();
	if (chdir("/"))
		log_warn("chdir /: %s", strerror(errno));
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		if (logfile)
			dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	return 0;
}

static void set_ready(int *ready_fd, bool ok)
{
	char c = ok ? 1 : 0;

	if (*ready_fd < 0)
		return;
	if (write(*ready_fd, &c, 1) != 1)
		log_warn("cannot tell the parent: %s", strerror(errno));
	close(*ready_fd);
	*ready_fd = -1;
}

int main(int argc, char **argv)
{
	const char *logfile = NULL, *pidfile = NULL, *ctrl_dir = MKAD_CTRL_DIR,
		   *qcmd = NULL, *qname = NULL;
	struct port_arg defaults = { 0 }, *cur = &defaults;
	bool background = false, debug = false, pid_written = false;
	static struct daemon d;
	int opt, i, rc = 1, ready = -1;

	while ((opt = getopt(argc, argv, "i:c:n:Bf:P:db:C:q:Nh")) != -1) {
		switch (opt) {
		case 'i':
			if (d.n_ports == MAX_PORTS) {
				fprintf(stderr, "vsecy-mkad: at most %d ports\n", MAX_PORTS);
				return 2;
			}
			cur = &d.args[d.n_ports++];
			*cur = defaults;
			cur->lower = optarg;
			break;
		case 'c': cur->conf = optarg; break;
		case 'n': cur->ifname = optarg; qname = optarg; break;
		case 'b': cur->backend = optarg; break;
		case 'B': background = true; break;
		case 'f': logfile = optarg; break;
		case 'P': pidfile = optarg; break;
		case 'd': debug = true; break;
		case 'C': ctrl_dir = optarg; break;
		case 'q': qcmd = optarg; break;
		case 'N': break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (qcmd && qname && !d.n_ports && optind == argc)
		return ctrl_query(ctrl_dir, qname, qcmd);
	if (!d.n_ports || optind != argc) {
		usage(stderr);
		return 2;
	}
	for (i = 0; i < d.n_ports; i++) {
		if (!d.args[i].conf)
			d.args[i].conf = defaults.conf;
		if (!d.args[i].backend)
			d.args[i].backend = defaults.backend ? defaults.backend :
					    getenv("VSECY_MKAD_BACKEND");
		if (!d.args[i].conf) {
			fprintf(stderr, "vsecy-mkad: -i %s needs -c CONF\n", d.args[i].lower);
			return 2;
		}
	}
	if (secmem_harden_process())
		fprintf(stderr, "vsecy-mkad: cannot disable core dumps: %s\n", strerror(errno));
	mkad_log_open(logfile, debug);
	mkad_log_prefixes(d.n_ports > 1);
	if (loop_init(&d.loop)) {
		log_err("epoll: %s", strerror(errno));
		return 1;
	}
	/* Set up before -B lets the parent go, so its exit status reports failures. */
	for (i = 0; i < d.n_ports; i++)
		if (open_port(&d, i, ctrl_dir))
			goto out;
	mkad_log_context(NULL);
	if (background && daemonize(&ready, logfile != NULL)) {
		log_err("fork: %s", strerror(errno));
		goto out;
	}
	if (pidfile) {
		FILE *fp = fopen(pidfile, "w");

		if (!fp) {
			log_err("%s: %s", pidfile, strerror(errno));
			goto out;
		}
		fprintf(fp, "%d\n", (int)getpid());
		fclose(fp);
		pid_written = true;
	}
	if (setup_signals(&d)) {
		log_err("signalfd: %s", strerror(errno));
		goto out;
	}
	set_ready(&ready, true);
	rc = loop_run(&d.loop) ? 1 : 0;
out:
	set_ready(&ready, false);
	for (i = 0; i < d.n_ports; i++) {
		ctrl_close(&d.ctrl[i]);
		if (d.ports[i]) {
			port_auth_free(d.ports[i]->auth);
			port_supp_free(d.ports[i]->supp);
			port_close(d.ports[i]);
			secmem_free(d.ports[i], sizeof(struct port));
		}
		if (d.keysrc[i])
			d.keysrc[i]->ops->destroy(d.keysrc[i]);
		if (d.qkd[i])
			d.qkd[i]->ops->destroy(d.qkd[i]);
	}
	if (pid_written)
		unlink(pidfile);
	mkad_log_context(NULL);
	log_info("vsecy-mkad exits");
	mkad_log_close();
	loop_fini(&d.loop);
	return rc;
}
