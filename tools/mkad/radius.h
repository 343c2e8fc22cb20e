/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsecy-mkad: a small RADIUS client that relays EAP between the 802.1X
 * authenticator and a RADIUS server (RFC 2865, RFC 2869, RFC 3579
 * "RADIUS support for EAP", RFC 3580, RFC 2548 for the MS-MPPE keys,
 * RFC 4072 for EAP-Key-Name).
 *
 * Every Access-Request carries a Message-Authenticator, first of its
 * attributes, and an EAP-Key-Name of one zero octet (asking the server
 * for the EAP Session-Id, which FreeRADIUS returns only when asked). A
 * reply is taken only if it answers an outstanding request (its ID, its
 * Response Authenticator) and, in answer to EAP, carries a valid
 * Message-Authenticator wherever it holds an EAP-Message and in every
 * Access-Accept and Access-Challenge (RFC 3579 3.2; an Accept without one
 * is what the BlastRADIUS forgery produces). Anything else is dropped,
 * counted and logged (at most every few seconds), and the request keeps
 * waiting for a good reply or its time-out.
 *
 * The client works on the event loop: one non-blocking UDP socket
 * connected to the server (IPv4 or IPv6), one outstanding request per
 * caller context, answered through a callback, never within the call that
 * sends it. The shared secret and the decrypted keys live in memory that
 * is wiped.
 *
 * The client is radius.c; the packet codec under it, pure functions that
 * the unit tests call too, is radius_codec.c.
 */
#ifndef MKAD_RADIUS_H
#define MKAD_RADIUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loop.h"

#define RADIUS_PORT		1812
#define RADIUS_MAX_LEN		4096	/* RFC 2865 3 */
#define RADIUS_HDR_LEN		20
#define RADIUS_AUTH_LEN		16
#define RADIUS_ATTR_MAX		253	/* value octets of one attribute */
#define RADIUS_SECRET_MAX	128
#define RADIUS_MSK_LEN		64
#define RADIUS_MPPE_KEY_LEN	32	/* each half of the MSK */
#define RADIUS_DEFAULT_TIMEOUT	3.0
#define RADIUS_DEFAULT_RETRIES	3

/* Packet codes (RFC 2865 3) */
#define RADIUS_CODE_ACCESS_REQUEST	1
#define RADIUS_CODE_ACCESS_ACCEPT	2
#define RADIUS_CODE_ACCESS_REJECT	3
#define RADIUS_CODE_ACCESS_CHALLENGE	11

/* Attribute types */
#define RADIUS_ATTR_USER_NAME		1
#define RADIUS_ATTR_NAS_IP_ADDRESS	4
#define RADIUS_ATTR_SERVICE_TYPE	6
#define RADIUS_ATTR_FRAMED_MTU		12
#define RADIUS_ATTR_STATE		24
#define RADIUS_ATTR_VENDOR_SPECIFIC	26
#define RADIUS_ATTR_SESSION_TIMEOUT	27
#define RADIUS_ATTR_CALLED_STATION_ID	30
#define RADIUS_ATTR_CALLING_STATION_ID	31
#define RADIUS_ATTR_NAS_IDENTIFIER	32
#define RADIUS_ATTR_NAS_PORT_TYPE	61
#define RADIUS_ATTR_EAP_MESSAGE		79
#define RADIUS_ATTR_MESSAGE_AUTH	80
#define RADIUS_ATTR_NAS_PORT_ID		87
#define RADIUS_ATTR_NAS_IPV6_ADDRESS	95
#define RADIUS_ATTR_EAP_KEY_NAME	102

#define RADIUS_VENDOR_MICROSOFT		311
#define RADIUS_MS_MPPE_SEND_KEY		16
#define RADIUS_MS_MPPE_RECV_KEY		17

/* The client (radius.c) ------------------------------------------------ */

/*
 * The server and how to talk to it. server: an IPv4 or IPv6 address (or
 * a host name, resolved once by radius_client_new); port 0 is 1812;
 * nas_ip: the NAS-IP-Address (IPv4) or NAS-IPv6-Address sent, "" for
 * none; nas_id: the NAS-Identifier, "" for "vsecy-mkad". timeout <= 0 is
 * 3 s; retries: retransmissions after the first transmission (0: none).
 * radius_conf_defaults fills in the defaults (retries 3).
 */
struct radius_conf {
	char server[64];
	uint16_t port;
	uint8_t secret[RADIUS_SECRET_MAX];
	size_t secret_len;
	char nas_id[64];
	char nas_ip[64];
	double timeout;
	int retries;
};

void radius_conf_defaults(struct radius_conf *c);

/*
 * One Access-Request: the EAP packet the supplicant sent (at least one
 * octet, split into EAP-Message attributes of 253; the whole packet holds
 * at most RADIUS_MAX_LEN octets, the other attributes 150 to 950),
 * its identity as User-Name (NULL: none; truncated to 253 octets), the
 * State of the last Access-Challenge (state_len 0: none), the
 * supplicant's MAC (Calling-Station-Id) and ours (Called-Station-Id),
 * and the port's name as NAS-Port-Id (NULL: none). The client copies
 * what it needs: the request need not outlive radius_send.
 */
struct radius_req {
	const uint8_t *eap;
	size_t eap_len;
	const char *user_name;
	const uint8_t *state;
	size_t state_len;
	uint8_t calling_mac[6];
	uint8_t called_mac[6];
	const char *nas_port_id;
};

/*
 * RADIUS_ACCEPT, _REJECT, _CHALLENGE: the server's verified answer, in
 * *rep. RADIUS_TIMEOUT: no acceptable reply after the retransmissions.
 * RADIUS_ERROR: the request never left (every transmission failed
 * locally, e.g. no route to the server). rep is NULL for the last two.
 */
enum radius_result {
	RADIUS_ACCEPT,
	RADIUS_REJECT,
	RADIUS_CHALLENGE,
	RADIUS_TIMEOUT,
	RADIUS_ERROR,
};

/*
 * A verified reply. eap: the EAP-Message attributes joined (one EAP
 * packet, its length checked), eap_len 0 if none; state: the State to
 * send back with the next request; msk: MS-MPPE-Recv-Key (32 octets) ||
 * MS-MPPE-Send-Key (32 octets), have_msk only if both came, 32 octets
 * each; key_name: the EAP-Key-Name (the EAP Session-Id, 65 octets for
 * EAP-TLS); session_timeout: seconds, 0 if none was given.
 */
struct radius_reply {
	int code;
	uint8_t eap[RADIUS_MAX_LEN];
	size_t eap_len;
	uint8_t state[RADIUS_ATTR_MAX];
	size_t state_len;
	uint8_t msk[RADIUS_MSK_LEN];
	bool have_msk;
	bool have_recv_key, have_send_key;
	uint8_t key_name[RADIUS_ATTR_MAX];
	size_t key_name_len;
	uint32_t session_timeout;
};

/*
 * The answer to radius_send, on the loop (never within radius_send). rep
 * and the MSK in it are wiped once this returns: copy what is kept. The
 * callback may call radius_send (the request is no longer outstanding)
 * and radius_cancel, not radius_client_free.
 */
typedef void (*radius_done_fn)(void *ctx, enum radius_result r, const struct radius_reply *rep);

struct radius_client;

/* A client for the server of *c (copied; the copy is wiped when freed);
 * NULL, logged, if the address or the socket fails. */
struct radius_client *radius_client_new(struct loop *l, const struct radius_conf *c);
/*
 * Sends an Access-Request for ctx (not NULL), which replaces any request
 * of ctx still outstanding (its answer will not come). 0, or -EINVAL (a
 * bad request), -EMSGSIZE (more than RADIUS_MAX_LEN octets), -EBUSY (256
 * requests outstanding), -ENOMEM, -EIO (no random authenticator); the
 * callback is not called then. A failed transmission is retried.
 */
int radius_send(struct radius_client *c, const struct radius_req *req,
		radius_done_fn done, void *ctx);
/* Forgets the request of ctx, if any: its answer will not come. */
void radius_cancel(struct radius_client *c, void *ctx);
/* Closes the socket; outstanding requests are dropped without answer. */
void radius_client_free(struct radius_client *c);

struct radius_counters {
	uint64_t requests;		/* Access-Requests started */
	uint64_t retransmits;
	uint64_t timeouts;
	uint64_t accepts, rejects, challenges;
	uint64_t bad_authenticator;	/* Response Authenticator wrong */
	uint64_t bad_msg_auth;		/* Message-Authenticator wrong or missing */
	uint64_t malformed;		/* lengths, codes, attributes, MPPE keys */
	uint64_t unknown_id;		/* answers no outstanding request */
	uint64_t send_errors;
};

const struct radius_counters *radius_counters(const struct radius_client *c);

/* The codec, pure functions (radius_codec.c; the unit tests call them) */

/*
 * Builds the Access-Request of req with identifier id and Request
 * Authenticator auth into buf (max octets), its Message-Authenticator
 * computed. Its length, or -EINVAL, -EMSGSIZE, -EIO.
 */
int radius_build_request(const struct radius_conf *c, const struct radius_req *req,
			 uint8_t id, const uint8_t auth[RADIUS_AUTH_LEN],
			 uint8_t *buf, size_t max);

/* Why radius_check_reply refused a reply (RADIUS_OK: it did not). */
enum radius_drop {
	RADIUS_OK,
	RADIUS_DROP_MALFORMED,		/* packet or attribute lengths */
	RADIUS_DROP_CODE,		/* not Accept, Reject or Challenge */
	RADIUS_DROP_ID,			/* not the request's identifier */
	RADIUS_DROP_AUTHENTICATOR,	/* Response Authenticator */
	RADIUS_DROP_NO_MSG_AUTH,	/* Message-Authenticator missing */
	RADIUS_DROP_MSG_AUTH,		/* Message-Authenticator wrong */
	RADIUS_DROP_EAP,		/* EAP-Message is not one EAP packet */
	RADIUS_DROP_MPPE,		/* an MS-MPPE key does not decrypt */
};

const char *radius_drop_str(enum radius_drop d);

/*
 * Checks the reply pkt (len octets as received, padding allowed) to the
 * request of identifier id and Request Authenticator req_auth, and fills
 * *rep (wiped first, and again when refused). eap: the request carried
 * EAP, so Access-Accept and Access-Challenge need a Message-Authenticator
 * even without EAP-Message (RFC 3579 3.2); false only for the tests of
 * RFC 2865's examples.
 */
enum radius_drop radius_check_reply(const uint8_t *secret, size_t secret_len, uint8_t id,
				    const uint8_t req_auth[RADIUS_AUTH_LEN], bool eap,
				    const uint8_t *pkt, size_t len, struct radius_reply *rep);

/*
 * RFC 2548 2.4.2/2.4.3: decrypts the value of an MS-MPPE-Send-Key or
 * -Recv-Key (salt, then the encrypted string, val_len octets) into key
 * (key_max octets), its length in *key_len. 0, or -EBADMSG for a salt
 * without its high bit, a string not a multiple of 16 octets, or a key
 * length past the string or key_max.
 */
int radius_mppe_decrypt(const uint8_t *secret, size_t secret_len,
			const uint8_t req_auth[RADIUS_AUTH_LEN], const uint8_t *val,
			size_t val_len, uint8_t *key, size_t key_max, size_t *key_len);
/*
 * The reverse, for the tests' server: salt (its high bit is set here),
 * key_len octets of key, zero padding; out holds 2 + 16 * ceil((key_len
 * + 1) / 16) octets, returned (or -EINVAL if more than 253).
 */
int radius_mppe_encrypt(const uint8_t *secret, size_t secret_len,
			const uint8_t req_auth[RADIUS_AUTH_LEN], uint16_t salt,
			const uint8_t *key, size_t key_len, uint8_t *out);
/*
 * For the tests' server: sets the Length of a reply of len octets to the
 * request of Request Authenticator req_auth, computes its
 * Message-Authenticator (if it has one), then its Response Authenticator.
 */
int radius_sign_reply(const uint8_t *secret, size_t secret_len,
		      const uint8_t req_auth[RADIUS_AUTH_LEN], uint8_t *pkt, size_t len);

#endif
