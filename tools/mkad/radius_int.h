/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsecy-mkad: what the RADIUS client (radius.c) and its codec
 * (radius_codec.c) share beyond radius.h; no other file includes it.
 */
#ifndef MKAD_RADIUS_INT_H
#define MKAD_RADIUS_INT_H

#include "radius.h"

/*
 * 0 if req can be sent with the secret of c (one we can use, some EAP, a
 * State that fits), or -EINVAL; radius_send checks it before it takes an
 * identifier, radius_build_request again.
 */
int radius_check_request(const struct radius_conf *c, const struct radius_req *req);

#endif
