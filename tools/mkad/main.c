// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: MACsec Key Agreement daemon for one port.
 *
 *   vsecy-mkad -i LOWER -c CONF [-n IFNAME] [-B] [-f LOGFILE] [-P PIDFILE]
 *              [-d] [-b vsecy|log] [-C CTRLDIR]
 *
 * One poll loop: the EAPOL packet socket on LOWER, a 100 ms timerfd that
 * drives the MKA timers (hello, life, retire), a signalfd (SIGTERM and
 * SIGINT end the daemon after removing what it created and wiping keys,
 * SIGHUP rereads CONF), the control socket and, with a SecY that has
 * them (the vsecy module), its events: a TX SA reaching the PN threshold
 * makes the key server rekey, without reading the PN periodically.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>

#include "conf.h"
#include "ctrl.h"
#include "kay.h"
#include "log.h"
#include "secy.h"

struct pae {
	int fd;
	int ifindex;
};

static double now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void on_secy_event(void *ctx, const struct secy_event *ev)
{
	kay_secy_event(ctx, ev, now_mono());
}

static int pae_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct pae *p = ctx;

	if (send(p->fd, frame, len, 0) != (ssize_t)len) {
		log_warn("MKPDU send failed: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * The EAPOL socket: every EtherType 0x888E frame on LOWER, with the NIC
 * told to accept the PAE group addresses MKA may use (802.1X-2020 11.1.1).
 */
static int pae_open(struct pae *p, const char *lower, uint8_t mac[6])
{
	static const uint8_t groups[3][6] = {
		{ 0x01, 0x80, 0xc2, 0x00, 0x00, 0x03 },
		{ 0x01, 0x80, 0xc2, 0x00, 0x00, 0x00 },
		{ 0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e },
	};
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	struct ifreq ifr = { 0 };
	int i;

	p->ifindex = (int)if_nametoindex(lower);
	if (!p->ifindex) {
		log_err("no device %s", lower);
		return -1;
	}
	p->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
		       htons(ETH_P_PAE));
	if (p->fd < 0) {
		log_err("packet socket: %s", strerror(errno));
		return -1;
	}
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", lower);
	if (ioctl(p->fd, SIOCGIFHWADDR, &ifr) ||
	    ifr.ifr_hwaddr.sa_family != 1 /* ARPHRD_ETHER */) {
		log_err("%s is not an Ethernet device", lower);
		return -1;
	}
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	sll.sll_protocol = htons(ETH_P_PAE);
	sll.sll_ifindex = p->ifindex;
	if (bind(p->fd, (struct sockaddr *)&sll, sizeof(sll))) {
		log_err("bind to %s: %s", lower, strerror(errno));
		return -1;
	}
	for (i = 0; i < 3; i++) {
		struct packet_mreq mr = {
			.mr_ifindex = p->ifindex,
			.mr_type = PACKET_MR_MULTICAST,
			.mr_alen = 6,
		};

		memcpy(mr.mr_address, groups[i], 6);
		if (setsockopt(p->fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)))
			log_warn("%s: cannot join group address: %s", lower, strerror(errno));
	}
	return 0;
}

/* -q CMD: one request to a running daemon's control socket. */
static int query(const char *dir, const char *ifname, const char *cmd)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char buf[65536];
	ssize_t n;
	int fd;

	if ((size_t)snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s.sock", dir,
			     ifname) >= sizeof(sa.sun_path))
		return 2;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, "vsecy-mkad: %s: %s\n", sa.sun_path, strerror(errno));
		return 1;
	}
	snprintf(buf, sizeof(buf), "%s\n", cmd);
	if (write(fd, buf, strlen(buf)) < 0)
		return 1;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	close(fd);
	return 0;
}

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: vsecy-mkad -i LOWER -c CONF [-n IFNAME] [-B] [-f LOGFILE]\n"
		"                  [-P PIDFILE] [-d] [-b vsecy|log|macsec] [-C CTRLDIR]\n"
		"  -i LOWER    Ethernet device to run MKA on\n"
		"  -c CONF     wpa_supplicant.conf with the MACsec network block\n"
		"  -n IFNAME   name of the vsecy device to create (default vsecy-LOWER)\n"
		"  -B          run in the background\n"
		"  -f LOGFILE  log to LOGFILE instead of stderr\n"
		"  -P PIDFILE  write the process id to PIDFILE\n"
		"  -d          debug messages\n"
		"  -b BACKEND  vsecy (default); log: only log what would be installed;\n"
		"              macsec: the kernel's macsec driver\n"
		"  -C CTRLDIR  control socket directory (default " MKAD_CTRL_DIR ")\n"
		"       vsecy-mkad -n IFNAME -q STATUS|REKEY|PING [-C CTRLDIR]\n"
		"  -q CMD      send CMD to the daemon serving IFNAME, print the answer\n");
}

/*
 * The vsecy module may not implement every confidentiality offset (it
 * refuses 30 and 50 with EOPNOTSUPP until it does). Asking now, before any
 * SA exists, turns what would be a link that never passes traffic into a
 * clear error at start. Only the vsecy backend is asked: the log backend
 * takes anything, and the macsec one creates its link on the first call
 * (and warns that it has no offset).
 */
static int check_offset(struct secy *s, const struct mkad_conf *c)
{
	struct secy_params p = {
		.cipher_suite = c->cipher_suite,
		.encrypt = true,
		.conf_offset = c->conf_offset,
		.replay_protect = c->replay_protect,
		.replay_window = c->replay_window,
	};
	int rc;

	if (!c->conf_offset || c->integ_only || strcmp(s->ops->name, "vsecy"))
		return 0;
	rc = s->ops->set_params(s, &p);
	if (rc == -EOPNOTSUPP)
		log_err("the %s SecY %s does not support confidentiality offset %d; set macsec_conf_offset=0",
			s->ops->name, s->ifname, c->conf_offset);
	else if (rc)
		log_err("the %s SecY %s refused confidentiality offset %d: %s",
			s->ops->name, s->ifname, c->conf_offset, strerror(-rc));
	return rc;
}

int main(int argc, char **argv)
{
	const char *lower = NULL, *conf_path = NULL, *ifname = NULL,
		   *logfile = NULL, *pidfile = NULL, *backend = NULL,
		   *ctrl_dir = MKAD_CTRL_DIR, *qcmd = NULL;
	bool daemonize = false, debug = false, running = true;
	static struct kay kay;
	struct mkad_conf conf;
	struct secy secy = { 0 };
	struct pae pae = { .fd = -1 };
	struct itimerspec its = { { 0, 100000000 }, { 0, 100000000 } };
	char err[256], ctrl_path[256];
	struct pollfd pfd[5];
	uint8_t mac[6];
	sigset_t mask;
	int opt, tfd = -1, sfd = -1, cfd = -1, rc = 1;

	while ((opt = getopt(argc, argv, "i:c:n:Bf:P:db:C:q:h")) != -1) {
		switch (opt) {
		case 'i': lower = optarg; break;
		case 'c': conf_path = optarg; break;
		case 'n': ifname = optarg; break;
		case 'B': daemonize = true; break;
		case 'f': logfile = optarg; break;
		case 'P': pidfile = optarg; break;
		case 'd': debug = true; break;
		case 'b': backend = optarg; break;
		case 'C': ctrl_dir = optarg; break;
		case 'q': qcmd = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (qcmd && ifname && optind == argc)
		return query(ctrl_dir, ifname, qcmd);
	if (!lower || !conf_path || optind != argc) {
		usage(stderr);
		return 2;
	}
	mkad_log_open(logfile, debug);
	if (!backend)
		backend = getenv("VSECY_MKAD_BACKEND");
	secy.ops = secy_backend(backend);
	if (!secy.ops) {
		log_err("unknown backend %s (vsecy or log)", backend);
		return 2;
	}
	if (conf_load(conf_path, &conf, err, sizeof(err))) {
		log_err("%s: %s", conf_path, err);
		return 1;
	}
	if (strlen(lower) >= IF_NAMESIZE) {
		log_err("bad device name %s", lower);
		return 2;
	}
	snprintf(secy.lower, sizeof(secy.lower), "%s", lower);
	if (ifname)
		snprintf(secy.ifname, sizeof(secy.ifname), "%s", ifname);
	else
		snprintf(secy.ifname, sizeof(secy.ifname), "vsecy-%.9s", lower);
	if (pae_open(&pae, lower, mac))
		return 1;
	secy.lower_ifindex = pae.ifindex;
	memcpy(secy.mac, mac, 6);
	secy.port = conf.port;
	secy.sci = secy_make_sci(mac, conf.port);

	/* Set up before -B forks, so that its exit status reports failures. */
	if (secy.ops->create(&secy)) {
		log_err("cannot set up the SecY %s on %s", secy.ifname, lower);
		goto out_secy;
	}
	if (check_offset(&secy, &conf))
		goto out_secy;
	if (kay_init(&kay, &conf, &secy, mac, pae_send, &pae, now_mono()))
		goto out_secy;
	cfd = ctrl_open(ctrl_dir, secy.ifname, ctrl_path, sizeof(ctrl_path));
	log_info("vsecy-mkad on %s: SecY %s (%s backend), control %s", lower,
		 secy.ifname, secy.ops->name, cfd >= 0 ? ctrl_path : "none");
	conf_wipe(&conf);

	if (daemonize) {
		pid_t pid = fork();

		if (pid < 0) {
			log_err("fork: %s", strerror(errno));
			return 1;
		}
		if (pid > 0)
			_exit(0);	/* the child owns the SecY and sockets now */
		setsid();
		if (chdir("/"))
			log_warn("chdir /: %s", strerror(errno));
		opt = open("/dev/null", O_RDWR);
		if (opt >= 0) {
			dup2(opt, 0);
			dup2(opt, 1);
			if (logfile)
				dup2(opt, 2);
			if (opt > 2)
				close(opt);
		}
	}
	if (pidfile) {
		FILE *fp = fopen(pidfile, "w");

		if (!fp) {
			log_err("%s: %s", pidfile, strerror(errno));
			pidfile = NULL;
			goto out_kay;
		}
		fprintf(fp, "%d\n", (int)getpid());
		fclose(fp);
	}

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	if (sfd < 0 || tfd < 0 || timerfd_settime(tfd, 0, &its, NULL)) {
		log_err("signalfd/timerfd: %s", strerror(errno));
		goto out_kay;
	}


	pfd[0] = (struct pollfd){ .fd = pae.fd, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = tfd, .events = POLLIN };
	pfd[2] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	/* poll() skips the entries whose descriptor is -1 */
	pfd[3] = (struct pollfd){ .fd = cfd, .events = POLLIN };
	pfd[4] = (struct pollfd){
		.fd = secy.ops->event_fd ? secy.ops->event_fd(&secy) : -1,
		.events = POLLIN,
	};
	if (pfd[4].fd < 0)
		log_info("the %s SecY has no PN events: %s", secy.ops->name,
			 secy.ops->get_tx_pn ? "reading the TX PN every hello time" :
			 "no rekey at the PN threshold");
	kay_tick(&kay, now_mono());
	while (running) {
		if (poll(pfd, 5, -1) < 0) {
			if (errno == EINTR)
				continue;
			log_err("poll: %s", strerror(errno));
			break;
		}
		if (pfd[0].revents & POLLIN) {
			uint8_t frame[2048];
			struct sockaddr_ll from;
			socklen_t fl = sizeof(from);
			ssize_t n;

			while ((n = recvfrom(pae.fd, frame, sizeof(frame), 0,
					     (struct sockaddr *)&from, &fl)) > 0) {
				if (from.sll_pkttype != PACKET_OUTGOING)
					kay_rx(&kay, frame, (size_t)n, now_mono());
				fl = sizeof(from);
			}
		}
		if (pfd[1].revents & POLLIN) {
			uint64_t ticks;

			if (read(tfd, &ticks, sizeof(ticks)) < 0)
				log_dbg("timerfd read: %s", strerror(errno));
			kay_tick(&kay, now_mono());
		}
		if (pfd[2].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(sfd, &si, sizeof(si)) != sizeof(si))
				continue;
			if (si.ssi_signo == SIGHUP) {
				log_info("SIGHUP: rereading %s", conf_path);
				if (conf_load(conf_path, &conf, err, sizeof(err)))
					log_err("%s: %s; keeping the running configuration",
						conf_path, err);
				else
					kay_reconfigure(&kay, &conf, now_mono());
				conf_wipe(&conf);
			} else {
				log_info("signal %u: shutting down", si.ssi_signo);
				running = false;
			}
		}
		if (cfd >= 0 && (pfd[3].revents & POLLIN))
			ctrl_serve(cfd, &kay, now_mono());
		/* ENOBUFS shows as POLLERR: read_events handles it too */
		if (pfd[4].revents & (POLLIN | POLLERR))
			secy.ops->read_events(&secy, on_secy_event, &kay);
	}
	rc = 0;
out_kay:
	kay_shutdown(&kay);
	ctrl_close(cfd, ctrl_path);
out_secy:
	secy.ops->destroy(&secy);
	conf_wipe(&conf);
	crypto_wipe(&kay, sizeof(kay));
	if (pidfile)
		unlink(pidfile);
	if (pae.fd >= 0)
		close(pae.fd);
	log_info("vsecy-mkad exits");
	mkad_log_close();
	return rc;
}
