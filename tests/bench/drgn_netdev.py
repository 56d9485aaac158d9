#!/usr/bin/python3
"""drgn baseline of ovscrash's `netdev`: every namespace's device list
(net_namespace_list, then each net's dev_base_head), one line per device
with the fields `netdev` prints: address, name, ifindex, netns inode,
reg_state, state, real/num tx and rx queues, ops and rx_handler symbols,
master (first adj_list.upper entry when it is the master), and the
reference count (sum of the per-CPU counters, else dev_refcnt).

Usage: drgn_netdev.py VMCORE VMLINUX [MODULE.ko.debug...] [--runs N]
Prints 'count N' (devices), 'first S', 'median S', 'cpu S' (seconds of
the walk alone, start-up excluded; see drgn_common.py).
"""
import sys

from drgn import container_of
from drgn.helpers.linux.cpumask import for_each_online_cpu
from drgn.helpers.linux.list import list_for_each_entry
from drgn.helpers.linux.percpu import per_cpu_ptr

from drgn_common import open_dump, sym, timed


def master_of(prog, dev):
    upper = dev.adj_list.upper
    first = upper.next
    if first.value_() == upper.address_of_().value_() or not first.value_():
        return 0
    adj = container_of(first, "struct netdev_adjacent", "list")
    return adj.dev.value_() if adj.master else 0


def refcnt(prog, dev, cpus):
    pcpu = dev.pcpu_refcnt
    if pcpu.value_():
        return sum(int(per_cpu_ptr(pcpu, c)[0]) for c in cpus)
    return int(dev.dev_refcnt.refs.counter)


def walk(prog, out):
    cpus = list(for_each_online_cpu(prog))
    n = 0
    head = prog["net_namespace_list"].address_of_()
    for net in list_for_each_entry("struct net", head, "list"):
        inum = int(net.ns.inum)
        for dev in list_for_each_entry("struct net_device",
                                       net.dev_base_head.address_of_(), "dev_list"):
            out.write("%x %s %d %u %d %x %d/%d %d/%d %s %s %x %d\n" % (
                dev.value_(), dev.name.string_().decode(errors="replace"),
                dev.ifindex, inum, dev.reg_state, dev.state,
                dev.real_num_tx_queues, dev.num_tx_queues,
                dev.real_num_rx_queues, dev.num_rx_queues,
                sym(prog, dev.netdev_ops.value_()),
                sym(prog, dev.rx_handler.value_()),
                master_of(prog, dev), refcnt(prog, dev, cpus)))
            n += 1
    return n


if __name__ == "__main__":
    prog, a = open_dump(sys.argv[1:], "netdev walk")
    timed(walk, prog, a)
