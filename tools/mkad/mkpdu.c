// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: MKPDU encoding and decoding (IEEE 802.1X-2020 11.11).
 *
 * An MKPDU is an EAPOL PDU (version 3, type 5) whose body is a Basic
 * Parameter Set, further parameter sets, each a 4-octet header (type,
 * one type-specific octet, 4 type-specific bits and a 12-bit body length)
 * and a body padded to a multiple of 4, and a 16-octet ICV (9.4.1) over
 * everything from the destination address up to the ICV.
 *
 * The parser trusts no length: every set must fit before the ICV, the
 * EAPOL body must fit in the frame, and sets with fixed layouts must have
 * the lengths 11.11 gives them. Unknown sets are skipped by their length;
 * a repeated set is ignored, as wpa_supplicant does.
 */
#include <string.h>

#include "mkpdu.h"
#include "util.h"

const uint8_t mka_pae_group[ETH_ALEN_] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x03 };
const uint8_t mka_algo_agility[4] = { 0x00, 0x80, 0xc2, 0x01 };

#define ALIGN4(x)	(((x) + 3u) & ~3u)
#define TLV_MACSEC_CS	112	/* Announcement: MACsec Cipher Suites TLV */

static size_t set_len(const uint8_t *h)
{
	return (size_t)(h[2] & 0x0f) << 8 | h[3];
}

const char *mkpdu_strerror(enum mkpdu_err err)
{
	switch (err) {
	case MKPDU_OK: return "ok";
	case MKPDU_ERR_NOT_MKA: return "not EAPOL-MKA";
	case MKPDU_ERR_DST: return "destination is not a PAE group address";
	case MKPDU_ERR_LEN: return "bad length";
	case MKPDU_ERR_FORMAT: return "bad parameter set";
	}
	return "?";
}

static bool group_addr_ok(const uint8_t *dst)
{
	/* 01:80:C2:00:00:03 (PAE), :00 (bridge group), :0E (LLDP/nearest) */
	return !memcmp(dst, mka_pae_group, 5) &&
	       (dst[5] == 0x03 || dst[5] == 0x00 || dst[5] == 0x0e);
}

static enum mkpdu_err parse_peers(const uint8_t *b, size_t len,
				  struct mka_peer_id *out, int *n)
{
	size_t i;

	if (len % 16)
		return MKPDU_ERR_FORMAT;
	if (len / 16 > MKA_MAX_PEERS)
		return MKPDU_ERR_LEN;
	for (i = 0; i < len / 16; i++) {
		memcpy(out[i].mi, b + i * 16, MKA_MI_LEN);
		out[i].mn = get_be32(b + i * 16 + 12);
	}
	*n = (int)(len / 16);
	return MKPDU_OK;
}

static enum mkpdu_err parse_sak_use(const uint8_t *h, const uint8_t *b,
				    size_t len, struct mka_sak_use *s)
{
	s->present = true;
	if (len == 0) {
		s->empty = true;
		return MKPDU_OK;
	}
	/* 40 octets; XPN-era senders may not add more, but be lenient. */
	if (len < 40)
		return MKPDU_ERR_FORMAT;
	s->lan = h[1] >> 6;
	s->ltx = h[1] & 0x20;
	s->lrx = h[1] & 0x10;
	s->oan = (h[1] >> 2) & 3;
	s->otx = h[1] & 0x02;
	s->orx = h[1] & 0x01;
	s->ptx = h[2] & 0x80;
	s->prx = h[2] & 0x40;
	s->delay_protect = h[2] & 0x10;
	memcpy(s->lsrv_mi, b, MKA_MI_LEN);
	s->lkn = get_be32(b + 12);
	s->llpn = get_be32(b + 16);
	memcpy(s->osrv_mi, b + 20, MKA_MI_LEN);
	s->okn = get_be32(b + 32);
	s->olpn = get_be32(b + 36);
	return MKPDU_OK;
}

static enum mkpdu_err parse_dist_sak(const uint8_t *h, const uint8_t *b,
				     size_t len, struct mka_dist_sak *d)
{
	d->present = true;
	if (len == 0) {
		d->empty = true;
		return MKPDU_OK;
	}
	d->dan = h[1] >> 6;
	d->conf_offset = (h[1] >> 4) & 3;
	if (len == 28) {
		/* GCM-AES-128: KN and a 24-octet wrapped SAK (Figure 11-11) */
		d->kn = get_be32(b);
		d->cs = 0;
		d->wrapped_len = 24;
		memcpy(d->wrapped, b + 4, 24);
		return MKPDU_OK;
	}
	/* KN, Cipher Suite, wrapped SAK of 24 or 40 octets (Figure 11-12) */
	if (len != 36 && len != 52)
		return MKPDU_ERR_FORMAT;
	d->kn = get_be32(b);
	d->cs = get_be64(b + 4);
	d->wrapped_len = len - 12;
	memcpy(d->wrapped, b + 12, d->wrapped_len);
	return MKPDU_OK;
}

static enum mkpdu_err parse_announce(const uint8_t *b, size_t len,
				     struct mka_announce *a)
{
	size_t pos = 0;

	a->present = true;
	while (pos + 2 <= len) {
		unsigned int type = b[pos] >> 1;
		size_t tlen = (size_t)(b[pos] & 1) << 8 | b[pos + 1];
		size_t i;

		pos += 2;
		if (pos + tlen > len)
			return MKPDU_ERR_LEN;
		if (type == TLV_MACSEC_CS) {
			if (tlen % 10)
				return MKPDU_ERR_FORMAT;
			for (i = 0; i < tlen / 10 && a->n_cs < MKA_MAX_CS; i++) {
				a->cs_cap[a->n_cs] = b[pos + i * 10 + 1] & 3;
				a->cs[a->n_cs] = get_be64(b + pos + i * 10 + 2);
				a->n_cs++;
			}
		}
		pos += tlen;
	}
	return MKPDU_OK;
}

enum mkpdu_err mkpdu_parse(const uint8_t *frame, size_t len, struct mkpdu *p)
{
	const uint8_t *body, *pos, *end;
	size_t body_len, blen;
	bool seen[256] = { false };

	memset(p, 0, sizeof(*p));
	if (len < ETH_HDR_LEN + EAPOL_HDR_LEN)
		return MKPDU_ERR_LEN;
	if (frame[12] != (ETH_P_PAE_ >> 8) || frame[13] != (ETH_P_PAE_ & 0xff) ||
	    frame[15] != EAPOL_TYPE_MKA)
		return MKPDU_ERR_NOT_MKA;
	/* EAPOL versions >= 3 carry MKA; a later version is read as 3. */
	if (frame[14] < EAPOL_VERSION_3)
		return MKPDU_ERR_NOT_MKA;
	memcpy(p->dst, frame, ETH_ALEN_);
	memcpy(p->src, frame + 6, ETH_ALEN_);
	if (!group_addr_ok(p->dst))
		return MKPDU_ERR_DST;

	body_len = (size_t)frame[16] << 8 | frame[17];
	/* Octets past the EAPOL body are Ethernet padding (11.4). */
	if (ETH_HDR_LEN + EAPOL_HDR_LEN + body_len > len)
		return MKPDU_ERR_LEN;
	/* 11.11.2: at least 32 octets, a multiple of 4 */
	if (body_len < 32 || body_len % 4)
		return MKPDU_ERR_LEN;
	body = frame + ETH_HDR_LEN + EAPOL_HDR_LEN;
	end = body + body_len - MKA_ICV_LEN;

	/* Basic Parameter Set (Figure 11-8) */
	blen = set_len(body);
	if (blen < 28 + 1 || blen > 28 + MKA_MAX_CKN_LEN)
		return MKPDU_ERR_LEN;
	if (4 + ALIGN4(blen) > (size_t)(end - body))
		return MKPDU_ERR_LEN;
	/*
	 * 11.11.2: an MKPDU of a later version than ours is read as one of
	 * ours (what it adds is skipped by length); version 0 is none.
	 */
	p->basic.version = body[0];
	if (!p->basic.version)
		return MKPDU_ERR_FORMAT;
	p->basic.priority = body[1];
	p->basic.key_server = body[2] & 0x80;
	p->basic.macsec_desired = body[2] & 0x40;
	p->basic.capability = (body[2] >> 4) & 3;
	p->basic.sci = get_be64(body + 4);
	memcpy(p->basic.mi, body + 12, MKA_MI_LEN);
	p->basic.mn = get_be32(body + 24);
	memcpy(p->basic.algo, body + 28, 4);
	p->basic.ckn_len = blen - 28;
	memcpy(p->basic.ckn, body + 32, p->basic.ckn_len);

	for (pos = body + 4 + ALIGN4(blen); pos < end; ) {
		const uint8_t *h = pos, *b = pos + 4;
		unsigned int type;
		enum mkpdu_err err = MKPDU_OK;

		if ((size_t)(end - pos) < 4)
			return MKPDU_ERR_LEN;
		type = h[0];
		blen = set_len(h);
		if (type == MKA_SET_ICV) {
			/* ICV Indicator: the ICV is its body, ending the PDU */
			if (blen != MKA_ICV_LEN || b != end)
				return MKPDU_ERR_FORMAT;
			break;
		}
		if (ALIGN4(blen) > (size_t)(end - b))
			return MKPDU_ERR_LEN;
		pos = b + ALIGN4(blen);
		if (seen[type])
			continue;
		seen[type] = true;
		switch (type) {
		case MKA_SET_LIVE:
			p->has_live = true;
			p->ks_ssci = h[1];
			err = parse_peers(b, blen, p->live, &p->n_live);
			break;
		case MKA_SET_POTENTIAL:
			p->has_potential = true;
			err = parse_peers(b, blen, p->potential, &p->n_potential);
			break;
		case MKA_SET_SAK_USE:
			err = parse_sak_use(h, b, blen, &p->sak_use);
			break;
		case MKA_SET_DIST_SAK:
			err = parse_dist_sak(h, b, blen, &p->dist_sak);
			break;
		case MKA_SET_ANNOUNCE:
			err = parse_announce(b, blen, &p->announce);
			break;
		case MKA_SET_XPN:
			if (blen < 8)
				return MKPDU_ERR_FORMAT;
			p->xpn.present = true;
			p->xpn.suspension = h[1];
			p->xpn.llpn_hi = get_be32(b);
			p->xpn.olpn_hi = get_be32(b + 4);
			break;
		default:
			/* Distributed CAK, KMD and future sets: not used in PSK mode */
			p->n_unknown++;
			break;
		}
		if (err)
			return err;
	}
	return MKPDU_OK;
}

bool mkpdu_icv_ok(const uint8_t *frame, size_t len, const uint8_t *ick,
		  size_t ick_len)
{
	size_t body_len, icv_at;
	uint8_t icv[MKA_ICV_LEN];
	bool ok;

	if (len < ETH_HDR_LEN + EAPOL_HDR_LEN)
		return false;
	body_len = (size_t)frame[16] << 8 | frame[17];
	if (ETH_HDR_LEN + EAPOL_HDR_LEN + body_len > len || body_len < MKA_ICV_LEN)
		return false;
	icv_at = ETH_HDR_LEN + EAPOL_HDR_LEN + body_len - MKA_ICV_LEN;
	if (crypto_cmac(ick, ick_len, frame, icv_at, icv))
		return false;
	ok = crypto_memcmp(icv, frame + icv_at, MKA_ICV_LEN) == 0;
	crypto_wipe(icv, sizeof(icv));
	return ok;
}

static void put_hdr(uint8_t *h, uint8_t type, uint8_t o2, uint8_t o3hi,
		    size_t len)
{
	h[0] = type;
	h[1] = o2;
	h[2] = (uint8_t)(o3hi << 4 | ((len >> 8) & 0x0f));
	h[3] = (uint8_t)len;
}

int mkpdu_encode(const struct mkpdu *p, const uint8_t *ick, size_t ick_len,
		 uint8_t *buf, size_t size)
{
	const struct mka_basic *bs = &p->basic;
	size_t n = 0, blen, need, i;
	uint8_t *h;

#define ROOM(x) do { if (n + (x) > size) return -1; } while (0)
	if (!bs->ckn_len || bs->ckn_len > MKA_MAX_CKN_LEN)
		return -1;
	ROOM(ETH_HDR_LEN + EAPOL_HDR_LEN);
	memcpy(buf, p->dst, ETH_ALEN_);
	memcpy(buf + 6, p->src, ETH_ALEN_);
	buf[12] = ETH_P_PAE_ >> 8;
	buf[13] = ETH_P_PAE_ & 0xff;
	buf[14] = EAPOL_VERSION_3;
	buf[15] = EAPOL_TYPE_MKA;
	n = ETH_HDR_LEN + EAPOL_HDR_LEN;

	blen = 28 + bs->ckn_len;
	ROOM(4 + ALIGN4(blen));
	h = buf + n;
	memset(h, 0, 4 + ALIGN4(blen));
	h[0] = bs->version;
	h[1] = bs->priority;
	h[2] = (uint8_t)((bs->key_server ? 0x80 : 0) | (bs->macsec_desired ? 0x40 : 0) |
			 (bs->capability & 3) << 4 | (blen >> 8));
	h[3] = (uint8_t)blen;
	put_be64(h + 4, bs->sci);
	memcpy(h + 12, bs->mi, MKA_MI_LEN);
	put_be32(h + 24, bs->mn);
	memcpy(h + 28, bs->algo, 4);
	memcpy(h + 32, bs->ckn, bs->ckn_len);
	n += 4 + ALIGN4(blen);

	if (p->has_live || p->has_potential) {
		int pass;

		for (pass = 0; pass < 2; pass++) {
			const struct mka_peer_id *ids = pass ? p->potential : p->live;
			int cnt = pass ? p->n_potential : p->n_live;

			if (!(pass ? p->has_potential : p->has_live))
				continue;
			if (cnt < 0 || cnt > MKA_MAX_PEERS)
				return -1;
			need = 4 + (size_t)cnt * 16;
			ROOM(need);
			h = buf + n;
			put_hdr(h, pass ? MKA_SET_POTENTIAL : MKA_SET_LIVE,
				pass ? 0 : p->ks_ssci, 0, (size_t)cnt * 16);
			for (i = 0; i < (size_t)cnt; i++) {
				memcpy(h + 4 + i * 16, ids[i].mi, MKA_MI_LEN);
				put_be32(h + 4 + i * 16 + 12, ids[i].mn);
			}
			n += need;
		}
	}

	if (p->sak_use.present) {
		const struct mka_sak_use *s = &p->sak_use;

		blen = s->empty ? 0 : 40;
		ROOM(4 + blen);
		h = buf + n;
		memset(h, 0, 4 + blen);
		put_hdr(h, MKA_SET_SAK_USE,
			(uint8_t)((s->lan & 3) << 6 | (s->ltx ? 0x20 : 0) |
				  (s->lrx ? 0x10 : 0) | (s->oan & 3) << 2 |
				  (s->otx ? 0x02 : 0) | (s->orx ? 0x01 : 0)),
			(uint8_t)((s->ptx ? 8 : 0) | (s->prx ? 4 : 0) |
				  (s->delay_protect ? 1 : 0)), blen);
		if (!s->empty) {
			memcpy(h + 4, s->lsrv_mi, MKA_MI_LEN);
			put_be32(h + 16, s->lkn);
			put_be32(h + 20, s->llpn);
			memcpy(h + 24, s->osrv_mi, MKA_MI_LEN);
			put_be32(h + 36, s->okn);
			put_be32(h + 40, s->olpn);
		}
		n += 4 + blen;
	}

	if (p->dist_sak.present) {
		const struct mka_dist_sak *d = &p->dist_sak;

		if (d->empty) {
			blen = 0;
		} else {
			if (d->wrapped_len != 24 && d->wrapped_len != 40)
				return -1;
			if (!d->cs && d->wrapped_len != 24)
				return -1;
			blen = 4 + (d->cs ? 8 : 0) + d->wrapped_len;
		}
		ROOM(4 + blen);
		h = buf + n;
		put_hdr(h, MKA_SET_DIST_SAK,
			d->empty ? 0 : (uint8_t)((d->dan & 3) << 6 | (d->conf_offset & 3) << 4),
			0, blen);
		if (!d->empty) {
			put_be32(h + 4, d->kn);
			if (d->cs)
				put_be64(h + 8, d->cs);
			memcpy(h + 4 + (d->cs ? 12 : 4), d->wrapped, d->wrapped_len);
		}
		n += 4 + blen;
	}

	if (p->announce.present) {
		const struct mka_announce *a = &p->announce;
		size_t tlen = (size_t)a->n_cs * 10;

		if (a->n_cs < 0 || a->n_cs > MKA_MAX_CS)
			return -1;
		blen = a->n_cs ? 2 + tlen : 0;
		ROOM(4 + ALIGN4(blen));
		h = buf + n;
		memset(h, 0, 4 + ALIGN4(blen));
		put_hdr(h, MKA_SET_ANNOUNCE, 0, 0, blen);
		if (a->n_cs) {
			h[4] = (uint8_t)(TLV_MACSEC_CS << 1 | (tlen >> 8));
			h[5] = (uint8_t)tlen;
			for (i = 0; i < (size_t)a->n_cs; i++) {
				h[6 + i * 10 + 1] = a->cs_cap[i] & 3;
				put_be64(h + 6 + i * 10 + 2, a->cs[i]);
			}
		}
		n += 4 + ALIGN4(blen);
	}

	if (p->xpn.present) {
		ROOM(12);
		h = buf + n;
		put_hdr(h, MKA_SET_XPN, p->xpn.suspension, 0, 8);
		put_be32(h + 4, p->xpn.llpn_hi);
		put_be32(h + 8, p->xpn.olpn_hi);
		n += 12;
	}

	ROOM(MKA_ICV_LEN);
	blen = n + MKA_ICV_LEN - ETH_HDR_LEN - EAPOL_HDR_LEN;
	buf[16] = (uint8_t)(blen >> 8);
	buf[17] = (uint8_t)blen;
	if (crypto_cmac(ick, ick_len, buf, n, buf + n))
		return -1;
	n += MKA_ICV_LEN;
#undef ROOM
	return (int)n;
}
