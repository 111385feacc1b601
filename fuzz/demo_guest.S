/* demo_guest.S: embeds the demo guest (guests/demo, clang build with coverage) in fuzz_guest. */
	.section .rodata.wf_demo_guest, "a"
	.balign 16
	.global wf_demo_guest_start
	.global wf_demo_guest_end
wf_demo_guest_start:
	.incbin WF_DEMO_GUEST
wf_demo_guest_end:
	.section .note.GNU-stack, "", %progbits
