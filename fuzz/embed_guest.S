/* SPDX-License-Identifier: Apache-2.0 */
/* embed_guest.S: embeds one fuzz guest (WF_EMBED_GUEST, a path) and its name in a fuzz_guest binary. */
	.section .rodata.wf_embedded_guest, "a"
	.balign 16
	.global wf_embedded_guest_start
	.global wf_embedded_guest_end
	.global wf_embedded_guest_name
wf_embedded_guest_start:
	.incbin WF_EMBED_GUEST
wf_embedded_guest_end:
wf_embedded_guest_name:
	.asciz WF_EMBED_NAME
	.section .note.GNU-stack, "", %progbits
