// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: what wpa_supplicant 2.10 needs beyond 802.1X-2020, in one
 * place, on by default and off with mka_wpa_compat=0.
 *
 * 1. No SAK Use set during our first hello time: wpa_supplicant 2.10
 *    takes a SAK Use from a participant it does not (yet) hold live as an
 *    error and then abandons its own MI, restarting its session. A
 *    participant we have not heard from yet cannot hold us live; by a
 *    hello time after we start we have heard from everyone and list
 *    them, which makes us live to them before they read the SAK Use.
 *
 * 2. Rejoin: a peer is key server and we still hold none of its SAKs,
 *    MKA_REJOIN_TIME after it was elected. wpa_supplicant 2.10 drops,
 *    where 802.1X-2020 9.8.1 defers, the new SAK a peer joining within
 *    MKA_LIFE_TIME of its previous one asks for: that peer would wait for
 *    ever. We rejoin as a new peer, with a new MI, after a silence:
 *    wpa_supplicant ignores an SCI's new MI while the old one lives, and
 *    when the old one expires it distributes a SAK to the peers left,
 *    which starts its hold-off again. Silent for MKA_REJOIN_QUIET, we
 *    come back after both.
 */
#include <inttypes.h>
#include <string.h>

#include "log.h"
#include "participant.h"
#include "port.h"

bool interop_sak_use_ok(const struct participant *p, double now)
{
	return now >= p->sak_use_from;
}

void interop_new_mi(struct participant *p, double now)
{
	p->sak_use_from = p->conf.wpa_compat ? now + MKA_HELLO_TIME + 0.1 : now;
}

static bool waiting_for_ks(const struct participant *p, const struct peer **ks)
{
	const struct sak *s = &p->port->cp.latest;

	if (!p->conf.wpa_compat || !p->elected || p->is_ks || p->ks_says_no)
		return false;
	*ks = participant_peer_by_sci((struct participant *)p, p->ks_sci);
	return *ks && (*ks)->live && (*ks)->desired &&
	       !(s->valid && !memcmp(s->ki_mi, (*ks)->mi, MKA_MI_LEN));
}

void interop_check_rejoin(struct participant *p, double now)
{
	const struct peer *ks;

	if (now - p->ks_since < MKA_REJOIN_TIME || !waiting_for_ks(p, &ks))
		return;
	log_warn("no SAK from key server %016" PRIx64 " %.0f s after its election: rejoining with a new MI in %.0f s",
		 p->ks_sci, now - p->ks_since, MKA_REJOIN_QUIET);
	p->cnt.rejoins++;
	participant_go_quiet(p, now + MKA_REJOIN_QUIET, "participant rejoins");
}

double interop_next_deadline(const struct participant *p, double now)
{
	const struct peer *ks;

	(void)now;
	if (!waiting_for_ks(p, &ks))
		return 1e300;
	return p->ks_since + MKA_REJOIN_TIME;
}
