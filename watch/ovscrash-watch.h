/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ovscrash-watch: what the BPF object (ovscrash-watch.bpf.c) and the
 * loader (ovscrash-watch.c) share.  Plain fixed-size types only: the BPF
 * side sees vmlinux.h, the user side sees <linux/types.h>.
 */
#ifndef OVSCRASH_WATCH_H
#define OVSCRASH_WATCH_H

#define OW_IFNAMSIZ	16
#define OW_STACK_DEPTH	16	/* kernel frames kept per event */
#define OW_RATE_ENTRIES	1024	/* devices tracked by the rate limit */

/* Why an event fired (bits of ow_event.why). */
#define OW_WHY_NOQUEUES		0x1	/* real_num_tx_queues == 0 */
#define OW_WHY_UNREGISTERED	0x2	/* reg_state != NETREG_REGISTERED */

/* Where the event came from (ow_event.hook). */
#define OW_HOOK_FENTRY		1
#define OW_HOOK_KPROBE		2

/* Indexes of the per-CPU counter array. */
enum ow_counter {
	OW_CNT_HITS,		/* transmits that met a condition */
	OW_CNT_EVENTS,		/* events written to the ring buffer */
	OW_CNT_RATELIMITED,	/* hits not reported: the device's rate limit */
	OW_CNT_RINGBUF_FULL,	/* hits not reported: ring buffer full */
	OW_CNT_RATE_MAP_FULL,	/* rate-limit map full: reported anyway */
	OW_CNT_MITIGATED,	/* packets whose rx queue record was cleared */
	OW_CNT_NR
};

struct ow_event {
	__u64 ts_ns;		/* bpf_ktime_get_ns() */
	__u64 dev;		/* struct net_device address (identity only) */
	__u64 state;		/* dev->state */
	__u64 stack[OW_STACK_DEPTH];
	__s32 stack_len;	/* bytes from bpf_get_stack(), < 0: error */
	__u32 netns_ino;	/* dev_net(dev)->ns.inum */
	__s32 ifindex;
	__u32 cpu;
	__u32 reg_state;
	__u32 reg_registered;	/* the kernel's NETREG_REGISTERED */
	__u32 num_tx_queues;
	__u32 real_num_tx_queues;
	__u32 why;		/* OW_WHY_* */
	__u32 hook;		/* OW_HOOK_* */
	__u32 suppressed;	/* hits on this device since its last event */
	__s32 vport_port_no;	/* -1: unknown (no OVS BTF or not via OVS) */
	__u32 queue_mapping;	/* skb->queue_mapping (rx queue + 1 if recorded) */
	char name[OW_IFNAMSIZ];
	char dp_name[OW_IFNAMSIZ];	/* datapath (its local port's name) */
	/*
	 * The hooked function's caller when the stack walk cannot see it, else
	 * 0: a kprobe on arm64 fires at the function's first instruction,
	 * before it saves its frame record, so the return address into its
	 * caller is only in the link register (x30).
	 */
	__u64 caller;
};

#endif /* OVSCRASH_WATCH_H */
