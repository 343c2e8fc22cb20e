// SPDX-License-Identifier: GPL-2.0
#include "unit.h"

void t_secy(void)
{
}
