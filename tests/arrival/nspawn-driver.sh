#!/bin/sh
# Runs inside the systemd-nspawn container of tests/arrival (a unit,
# arrival-test-driver.service): turns triage on with the one documented
# command, makes a dump directory under /var/crash, records what systemd
# applied to ovscrash-triage.service while it runs (its main process's
# nice value, I/O class, cgroup limits), fills the directory, waits for
# ovscrash.json, saves the journal, powers the container off.  Everything
# it records goes to /opt/arrival-out (a bind mount the test reads).
out=/opt/arrival-out
exec >"$out/driver.log" 2>&1
set -x
systemctl enable --now ovscrash-triage.path
echo $? >"$out/enable.rc"
systemctl is-enabled ovscrash-triage.path ovscrash-triage.service >"$out/enabled.txt"
systemctl is-active ovscrash-triage.path >"$out/path-active.txt"
# the service's first run (started with the path unit) ends on an empty tree
i=0
while systemctl -q is-active ovscrash-triage.service && [ $i -lt 60 ]; do sleep 1; i=$((i + 1)); done
d=/var/crash/202611270501
mkdir "$d"
# the path unit starts the service; it waits for the empty directory (--settle)
i=0
pid=0
while [ $i -lt 40 ]; do
	pid=$(systemctl show -p MainPID --value ovscrash-triage.service)
	[ "$pid" != 0 ] && break
	sleep 0.5; i=$((i + 1))
done
echo "$pid" >"$out/mainpid"
# MainPID is known from systemd's fork, before the child has applied the
# unit's sandbox and exec'd: read the process only once it runs the
# program (its cmdline names the path of ovscrash-arrival; before the
# exec systemd titles the child "(ovscrash-arrival)", without a slash),
# else the status is the half-set-up child's (seen: NoNewPrivs 0 and
# every capability)
i=0
while [ "$pid" != 0 ] && [ $i -lt 100 ] &&
	! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q /ovscrash-arrival; do
	sleep 0.1; i=$((i + 1))
done
tr '\0' ' ' <"/proc/$pid/cmdline" >"$out/cmdline" 2>&1
cut -d' ' -f19 "/proc/$pid/stat" >"$out/nice" 2>&1
ionice -p "$pid" >"$out/ionice" 2>&1
grep -E '^(Seccomp|CapBnd|NoNewPrivs):' "/proc/$pid/status" >"$out/status" 2>&1
cg=$(systemctl show -p ControlGroup --value ovscrash-triage.service)
echo "$cg" >"$out/cgroup-path"
cat "/proc/$pid/cgroup" >"$out/proc-cgroup" 2>&1
ls /sys/fs/cgroup >"$out/sys-fs-cgroup" 2>&1
for f in cpu.max memory.max; do
	printf '%s ' "$f" >>"$out/cgroup"
	cat "/sys/fs/cgroup$cg/$f" >>"$out/cgroup" 2>&1 || echo missing >>"$out/cgroup"
done
systemctl show -p Type -p Nice -p IOSchedulingClass -p CPUQuotaPerSecUSec -p MemoryMax \
	ovscrash-triage.service >"$out/show.txt"
cp /opt/arrival-in/dmesg "$d/dmesg.202611270501.tmp"
mv "$d/dmesg.202611270501.tmp" "$d/dmesg.202611270501"
i=0
while [ ! -f "$d/ovscrash.json" ] && [ $i -lt 120 ]; do sleep 1; i=$((i + 1)); done
# a real dump, triaged by crash inside the hardened, bounded service:
# written as kdump-tools writes it (dump-incomplete, then renamed)
d2=/var/crash/202611270502
mkdir "$d2.new"
cp /opt/arrival-in/dump "$d2.new/dump-incomplete"
cp /opt/arrival-in/dump-dmesg "$d2.new/dmesg.202611270502"
mv "$d2.new/dump-incomplete" "$d2.new/dump.202611270502"
mv "$d2.new" "$d2"
i=0
while [ ! -f "$d2/ovscrash.json" ] && [ $i -lt 400 ]; do sleep 1; i=$((i + 1)); done
i=0
while systemctl -q is-active ovscrash-triage.service && [ $i -lt 30 ]; do sleep 1; i=$((i + 1)); done
journalctl -u ovscrash-triage.service -o cat --no-pager >"$out/journal.txt"
systemctl show -p Result -p ExecMainStatus ovscrash-triage.service >"$out/result.txt"
touch "$out/done"
systemctl poweroff
