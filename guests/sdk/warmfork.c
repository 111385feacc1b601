// SPDX-License-Identifier: Apache-2.0
/* warmfork.c: the guest SDK's static library: the ready call (an SVC the VMM recognises). */
#include "warmfork.h"

/* Must equal WF_SYS_READY in vmm/abi.h (the guest-host ABI; see docs/abi.md). */
#define WARMFORK_SYS_READY 0x7757f001L

int warmfork_ready(void)
{
	register long x8 __asm__("x8") = WARMFORK_SYS_READY;
	register long x0 __asm__("x0");
	__asm__ volatile("svc #0" : "=r"(x0) : "r"(x8) : "memory");
	return x0 == 0 ? 0 : -1;
}
