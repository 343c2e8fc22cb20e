/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The vsecy authors.
 */

#ifndef _VSECY_EVENTS_H
#define _VSECY_EVENTS_H

#include <net/genetlink.h>

#include "secy.h"

int vsecy_events_init(struct genl_family *family);
void vsecy_events_uninit(void);
void vsecy_events_tx_pn(struct vsecy_secy *secy, struct vsecy_sa *sa, u8 an,
			u64 next_pn, bool exhausted);
void vsecy_events_oper(struct vsecy_secy *secy);
void vsecy_events_config(u8 cmd, struct vsecy_secy *secy, u64 sci, u8 an);

#endif /* _VSECY_EVENTS_H */
