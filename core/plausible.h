/* SPDX-License-Identifier: GPL-2.0 */
/*
 * plausible.h - invariants the kernel itself keeps, checked on what a
 * (possibly damaged) dump says before it is believed: a vport found in a
 * datapath's hash table, the device behind it, the pernet id OVS reads
 * its per-namespace state with.  Plain data in, a reason out.
 */
#ifndef OC_PLAUSIBLE_H
#define OC_PLAUSIBLE_H

#include <stddef.h>
#include <stdint.h>

/* What was read of one vport met in bucket @bucket of datapath @dp. */
struct oc_vport_facts {
	uint64_t dp;		/* the datapath being walked */
	int bucket, nbuckets;	/* where it was met; nbuckets a power of two */
	int dp_read;		/* vport->dp: 1 read, 0 unreadable, -1 no member */
	uint64_t vport_dp;
	int port_read;		/* vport->port_no: 1 read, 0 unreadable */
	unsigned int port_no;
};

/*
 * 0 when the vport keeps the kernel's invariants: its dp points back at
 * the datapath walked (ovs_vport_alloc() sets it), its port_no hashes to
 * the bucket it was met in (vport_hash_bucket(): port_no & (buckets - 1)).
 * Otherwise -1 and @why names the invariant that failed.
 */
int oc_vport_check(const struct oc_vport_facts *f, char *why, size_t n);

/* What was read of a net_device. */
struct oc_dev_facts {
	const unsigned char *name;	/* IFNAMSIZ bytes as read */
	size_t name_size;
	int reg_state_known;	/* reg_state is an enumerator of the debuginfo */
	long reg_state;
	long ifindex, num_tx, real_num_tx;	/* -1 unread */
};

/*
 * 0 when the device's fields hold values the kernel allows: a name
 * dev_valid_name() would accept (non-empty, NUL-terminated within
 * IFNAMSIZ, not "." or "..", no '/', ':' or white space), a reg_state
 * that is an enumerator, a positive ifindex, at least one tx queue
 * (alloc_netdev_mqs() refuses none) with real_num_tx_queues <=
 * num_tx_queues (netif_set_real_num_tx_queues() refuses more).
 * Otherwise -1 and @why names the first field that is not.
 */
int oc_dev_check(const struct oc_dev_facts *f, char *why, size_t n);

/*
 * The pernet id a module reads with net_generic(): ids are handed out
 * below max_gen_ptrs (@max, 0 unknown) and net_generic() reads
 * ng->ptr[id] without looking at ng->len, so a len at or below the id is
 * damage to report, not a reason to stop.  0 fine; -1 the id itself is
 * impossible (@why says why); 1 the id is possible but @len (0 unread)
 * does not cover it (@why says so; the pointer is still the kernel's).
 */
int oc_pernet_id_check(uint32_t id, uint32_t max, uint32_t len, int len_read,
		       char *why, size_t n);

#endif
