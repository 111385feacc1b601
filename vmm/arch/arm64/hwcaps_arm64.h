// SPDX-License-Identifier: Apache-2.0
/* hwcaps_arm64.h: AT_HWCAP/AT_HWCAP2 from ID register values (pure, so unit-tested natively). */
#ifndef WARMFORK_HWCAPS_ARM64_H
#define WARMFORK_HWCAPS_ARM64_H

#include <stdbool.h>
#include <stdint.h>

/* The ID registers the decoding reads, by index. */
enum {
	WF_ARM64_ISAR0, /* ID_AA64ISAR0_EL1 */
	WF_ARM64_ISAR1, /* ID_AA64ISAR1_EL1 */
	WF_ARM64_PFR0,  /* ID_AA64PFR0_EL1 */
	WF_ARM64_PFR1,  /* ID_AA64PFR1_EL1 */
	WF_ARM64_MMFR2, /* ID_AA64MMFR2_EL1 */
	WF_ARM64_NIDREGS
};

/* Linux's HWCAP bits for a CPU with these ID registers (pointer authentication only if the
 * vCPU has it enabled). */
void wf_arm64_hwcaps(const uint64_t id[WF_ARM64_NIDREGS], bool pauth, uint64_t *hwcap,
		     uint64_t *hwcap2);

#endif
