// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-radius-reply: a misconfigured or broken RADIUS server for the
 * tests (mka_eap_freeradius.sh). It listens on ADDR:PORT (UDP) and
 * answers every Access-Request it receives, in turn, with:
 *   1. an Access-Challenge signed with SECRET (Message-Authenticator and
 *      Response Authenticator as RFC 2865/3579 make them): with a
 *      secret other than the client's, a server with a wrong secret;
 *   2. a datagram of 3 octets (shorter than a RADIUS header);
 *   3. a header whose Length is larger than the datagram;
 *   4. an attribute of length 1 (which cannot be).
 * It prints one line per reply ("reply N: KIND") and exits after COUNT
 * replies (default: never).
 *
 * Usage: vsecy-radius-reply ADDR PORT SECRET [COUNT]
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#define HDR		20
#define CODE_CHALLENGE	11
#define ATTR_EAP	79
#define ATTR_MSG_AUTH	80

static void put16(unsigned char *p, unsigned int v)
{
	p[0] = v >> 8;
	p[1] = v;
}

/*
 * An Access-Challenge to the request req (its identifier and
 * authenticator) holding an EAP-Request/Identity, signed with secret.
 */
static size_t signed_challenge(unsigned char *out, const unsigned char *req,
			       const char *secret)
{
	static const unsigned char eap[] = { 1, 1, 0, 5, 1 };
	unsigned int mdlen = 16;
	size_t len = HDR;
	EVP_MD_CTX *md;

	out[0] = CODE_CHALLENGE;
	out[1] = req[1];
	memcpy(out + 4, req + 4, 16);		/* the Request Authenticator */
	out[len++] = ATTR_MSG_AUTH;
	out[len++] = 18;
	memset(out + len, 0, 16);
	len += 16;
	out[len++] = ATTR_EAP;
	out[len++] = 2 + sizeof(eap);
	memcpy(out + len, eap, sizeof(eap));
	len += sizeof(eap);
	put16(out + 2, len);
	/* RFC 3579 3.2: HMAC-MD5 over the reply with the request's authenticator */
	HMAC(EVP_md5(), secret, strlen(secret), out, len, out + HDR + 2, &mdlen);
	/* RFC 2865 3: MD5(Code | ID | Length | Request Auth | Attributes | Secret) */
	md = EVP_MD_CTX_new();
	if (!md || !EVP_DigestInit_ex(md, EVP_md5(), NULL) ||
	    !EVP_DigestUpdate(md, out, len) ||
	    !EVP_DigestUpdate(md, secret, strlen(secret)) ||
	    !EVP_DigestFinal_ex(md, out + 4, NULL)) {
		fprintf(stderr, "vsecy-radius-reply: MD5 failed\n");
		exit(1);
	}
	EVP_MD_CTX_free(md);
	return len;
}

int main(int argc, char **argv)
{
	static const char *const kind[] = {
		"Access-Challenge signed with the given secret",
		"3 octets", "Length beyond the datagram", "attribute of length 1",
	};
	unsigned char req[4096], out[4096];
	struct sockaddr_in sa = { .sin_family = AF_INET }, from;
	socklen_t fl;
	long count, n = 0;
	size_t len;
	ssize_t r;
	int fd;

	if (argc < 4 || inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1) {
		fprintf(stderr, "usage: vsecy-radius-reply ADDR PORT SECRET [COUNT]\n");
		return 2;
	}
	sa.sin_port = htons(atoi(argv[2]));
	count = argc > 4 ? atol(argv[4]) : -1;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("vsecy-radius-reply: bind");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (count < 0 || n < count) {
		fl = sizeof(from);
		r = recvfrom(fd, req, sizeof(req), 0, (struct sockaddr *)&from, &fl);
		if (r < HDR || req[0] != 1)
			continue;	/* not an Access-Request */
		switch (n % 4) {
		case 0:
			len = signed_challenge(out, req, argv[3]);
			break;
		case 1:
			memcpy(out, req, 3);
			out[0] = CODE_CHALLENGE;
			len = 3;
			break;
		case 2:
			len = signed_challenge(out, req, argv[3]);
			put16(out + 2, len + 40);
			break;
		default:
			len = signed_challenge(out, req, argv[3]);
			out[HDR + 18 + 1] = 1;	/* the EAP-Message's length */
			break;
		}
		if (sendto(fd, out, len, 0, (struct sockaddr *)&from, fl) != (ssize_t)len) {
			perror("vsecy-radius-reply: sendto");
			return 1;
		}
		printf("reply %ld: %s\n", n + 1, kind[n % 4]);
		n++;
	}
	return 0;
}
