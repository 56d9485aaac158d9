#!/usr/bin/python3
"""drgn baseline of ovscrash's `vport`: in every namespace, the OVS
per-net state (net->gen->ptr[ovs_net_id]), its datapaths (ovs_net.dps)
and each datapath's vport hash table (datapath.ports[1024] hlists), one
line per vport with the fields `vport` prints: address, datapath, port
number, type, the device behind it with its name, reg_state, real/num tx
queues, and whether its rx_handler is OVS's netdev_frame_hook.

Usage: drgn_vport.py VMCORE VMLINUX OPENVSWITCH.ko.debug [--runs N]
Prints 'count N' (vports), 'first S', 'median S', 'cpu S' (seconds of
the walk alone, start-up excluded; see drgn_common.py).
"""
import sys

from drgn import Object
from drgn.helpers.linux.list import hlist_for_each_entry, list_for_each_entry

from drgn_common import open_dump, timed

DP_VPORT_HASH_BUCKETS = 1024    # net/openvswitch/datapath.h (a #define)


def walk(prog, out):
    net_id = int(prog["ovs_net_id"])
    hook = prog["netdev_frame_hook"].address_of_().value_()
    types = {}
    n = 0
    head = prog["net_namespace_list"].address_of_()
    for net in list_for_each_entry("struct net", head, "list"):
        ptr = net.gen.ptr[net_id].value_()
        if not ptr:
            continue
        ovs_net = Object(prog, "struct ovs_net *", ptr)
        for dp in list_for_each_entry("struct datapath",
                                      ovs_net.dps.address_of_(), "list_node"):
            for b in range(DP_VPORT_HASH_BUCKETS):
                for vp in hlist_for_each_entry("struct vport", dp.ports[b].address_of_(),
                                               "dp_hash_node"):
                    t = int(vp.ops.type)
                    if t not in types:
                        types[t] = str(
                            Object(prog, "enum ovs_vport_type", t).format_(type_name=False))
                    dev = vp.dev
                    out.write("%x %x %d %s %x %s %d %d/%d %s\n" % (
                        vp.value_(), dp.value_(), vp.port_no, types[t], dev.value_(),
                        dev.name.string_().decode(errors="replace"), dev.reg_state,
                        dev.real_num_tx_queues, dev.num_tx_queues,
                        "yes" if dev.rx_handler.value_() == hook else "no"))
                    n += 1
    return n


if __name__ == "__main__":
    prog, a = open_dump(sys.argv[1:], "vport walk")
    timed(walk, prog, a)
