// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: a port's PAE (802.1X-2020 clause 12): the EAPOL socket on
 * the lower device, and the demultiplexer. EAPOL frames are taken by type
 * (11.3): EAPOL-MKA goes to the participant of its CKN once the frame's
 * lengths are checked (mkpdu.c); other types (EAP, Start, Logoff,
 * Announcements) are counted and, on an access device, go to its 802.1X
 * authenticator (port_auth.c). An MKPDU with a CKN no participant has is
 * dropped, or, with a key source that can look CKNs up, asked for (its
 * answer comes later; port_qkd.c has the key provider's side).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "log.h"
#include "port.h"
#include "port_auth.h"
#include "port_supp.h"
#include "port_int.h"

bool port_drop_log_ok(double *last, unsigned long *skipped, double now)
{
	if (*last && now - *last < 1.0) {
		(*skipped)++;
		return false;
	}
	*last = now;
	return true;
}

/* A drop log line: "(N more not logged)" counts those in between. */
static unsigned long drop_log(struct port *p, int reason, double now, bool *ok)
{
	unsigned long skipped = p->drop_skipped[reason];

	*ok = port_drop_log_ok(&p->drop_logged[reason], &p->drop_skipped[reason], now);
	if (*ok)
		p->drop_skipped[reason] = 0;
	return skipped;
}

int port_send(struct port *p, const uint8_t *frame, size_t len)
{
	if (p->send)
		return p->send(p->send_ctx, frame, len);
	if (send(p->pae_fd, frame, len, 0) != (ssize_t)len) {
		p->cnt.tx_errors++;
		log_warn("MKPDU send failed: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* The participant of the CA of that CKN (CKNs are unique on a port). */
static struct participant *part_of(struct port *p, const uint8_t *ckn, size_t len)
{
	struct port_ca *ca = port_find_ca(p, ckn, len);

	return ca ? ca->part : NULL;
}

void port_rx(struct port *p, const uint8_t *frame, size_t len)
{
	static struct mkpdu m;
	double now = loop_now(p->loop);
	struct participant *q;
	enum mkpdu_err err;
	unsigned long skipped;
	bool ok;
	const uint8_t *src = len >= 12 ? frame + 6 : (const uint8_t *)"\0\0\0\0\0\0";

	mkad_log_context(p->name);
	err = mkpdu_parse(frame, len, &m);
	if (err == MKPDU_ERR_NOT_MKA) {
		p->cnt.rx_eapol_other++;
		if (p->auth)
			port_auth_rx(p->auth, frame, len);
		else if (p->supp)
			port_supp_rx(p->supp, frame, len);
		return;
	}
	p->cnt.rx_mkpdu++;
	if (err) {
		if (err == MKPDU_ERR_LEN)
			p->cnt.rx_bad_len++;
		else if (err == MKPDU_ERR_DST)
			p->cnt.rx_bad_dst++;
		else
			p->cnt.rx_bad_format++;
		skipped = drop_log(p, 0, now, &ok);
		if (ok)
			log_warn("MKPDU from %02x:%02x:%02x:%02x:%02x:%02x dropped: %s (%lu more not logged)",
				 src[0], src[1], src[2], src[3], src[4], src[5],
				 mkpdu_strerror(err), skipped);
		return;
	}
	q = part_of(p, m.basic.ckn, m.basic.ckn_len);
	if (!q) {
		p->cnt.rx_unknown_ckn++;
		skipped = drop_log(p, 1, now, &ok);
		if (ok)
			log_warn("MKPDU from SCI %016" PRIx64 " dropped: unknown CKN (%lu more not logged)",
				 m.basic.sci, skipped);
		port_lookup_ckn(p, &m.basic, frame, len, now);
		return;
	}
	participant_rx(q, &m, frame, len, now);
}

static void pae_readable(void *ctx, uint32_t events)
{
	struct port *p = ctx;
	uint8_t frame[2048];
	struct sockaddr_ll from;
	socklen_t fl = sizeof(from);
	ssize_t n;

	(void)events;
	while ((n = recvfrom(p->pae_fd, frame, sizeof(frame), 0,
			     (struct sockaddr *)&from, &fl)) > 0) {
		if (from.sll_pkttype != PACKET_OUTGOING)
			port_rx(p, frame, (size_t)n);
		fl = sizeof(from);
	}
}

/*
 * The EAPOL socket: every EtherType 0x888E frame on LOWER, with the NIC
 * told to accept the PAE group addresses MKA may use (802.1X-2020 11.1.1).
 */
int port_pae_open(struct port *p, const char *lower)
{
	static const uint8_t groups[3][6] = {
		{ 0x01, 0x80, 0xc2, 0x00, 0x00, 0x03 },
		{ 0x01, 0x80, 0xc2, 0x00, 0x00, 0x00 },
		{ 0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e },
	};
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	struct ifreq ifr = { 0 };
	int i;

	p->pae_fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
			   htons(ETH_P_PAE));
	if (p->pae_fd < 0) {
		log_err("packet socket: %s", strerror(errno));
		return -1;
	}
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", lower);
	if (ioctl(p->pae_fd, SIOCGIFHWADDR, &ifr) ||
	    ifr.ifr_hwaddr.sa_family != 1 /* ARPHRD_ETHER */) {
		log_err("%s is not an Ethernet device", lower);
		return -1;
	}
	memcpy(p->mac, ifr.ifr_hwaddr.sa_data, 6);
	sll.sll_protocol = htons(ETH_P_PAE);
	sll.sll_ifindex = p->ifindex;
	if (bind(p->pae_fd, (struct sockaddr *)&sll, sizeof(sll))) {
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
		if (setsockopt(p->pae_fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)))
			log_warn("%s: cannot join group address: %s", lower, strerror(errno));
	}
	return loop_add_fd(p->loop, &p->pae, p->pae_fd, EPOLLIN, pae_readable, p);
}
