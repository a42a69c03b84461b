#!/usr/bin/env bash
# A one-node Slurm cluster on this machine (127.0.0.1), for trying 'tca study --slurm' and for CI.
#
#   scripts/slurm-local.sh start    install Slurm and munge from the distribution when missing
#                                   (Debian/Ubuntu: apt-get), write /etc/slurm/slurm.conf, start
#                                   munged, slurmctld and slurmd, wait until the node is idle
#   scripts/slurm-local.sh stop     stop the daemons this script started
#   scripts/slurm-local.sh status   sinfo
#
# Runs as root (the daemons and SlurmUser are root). The node gets this machine's CPU count;
# accounting is off (sacct has nothing), proctrack/linuxproc and task/none need no cgroups, so it
# works inside containers. An /etc/slurm/slurm.conf that this script did not write is never
# overwritten.
set -euo pipefail

state=/var/lib/tca-slurm
conf=/etc/slurm/slurm.conf
marker="# written by tca scripts/slurm-local.sh"
node=tcalocal

die() { echo "slurm-local: $*" >&2; exit 1; }

need_root() { [ "$(id -u)" = 0 ] || die "run as root (it installs packages and starts daemons)"; }

install() {
  if command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v sbatch >/dev/null \
      && command -v munged >/dev/null; then
    return
  fi
  command -v apt-get >/dev/null || die "Slurm is not installed and apt-get is missing: install slurmctld, slurmd, slurm-client and munge"
  echo "slurm-local: installing slurmctld slurmd slurm-client munge" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurmctld slurmd slurm-client munge >&2 \
    || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurmctld slurmd slurm-client munge >&2; } \
    || die "apt-get install failed"
}

write_conf() {
  if [ -f "$conf" ] && ! grep -qF "$marker" "$conf"; then
    die "$conf exists and was not written by this script; refusing to replace it"
  fi
  mkdir -p "$state/ctld" "$state/d" "$state/log" /etc/slurm
  cat >"$conf" <<EOF
$marker
ClusterName=tcalocal
SlurmctldHost=$(hostname -s)(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/d
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
ReturnToService=2
SchedulerParameters=sched_interval=1
KillWait=5
MinJobAge=300
NodeName=$node NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=local Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
}

start_munge() {
  if munge -n </dev/null >/dev/null 2>&1 && unmunge </dev/null >/dev/null 2>&1 <<<"$(munge -n)"; then
    return
  fi
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge
  chmod 0755 /run/munge
  [ -f /etc/munge/munge.key ] || { mungekey --create >&2 && chown munge:munge /etc/munge/munge.key; }
  runuser -u munge -- munged || die "munged did not start"
  munge -n | unmunge >/dev/null || die "munge does not work"
}

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start() {
  need_root
  install
  write_conf
  start_munge
  running "$state/slurmctld.pid" || slurmctld -i || die "slurmctld did not start (see $state/log/slurmctld.log)"
  running "$state/slurmd.pid" || slurmd -N "$node" || die "slurmd did not start (see $state/log/slurmd.log)"
  for _ in $(seq 1 60); do
    if sinfo -h -n "$node" -o %t 2>/dev/null | grep -qE '^(idle|mix|alloc)'; then
      scontrol update NodeName="$node" State=RESUME >/dev/null 2>&1 || true
      echo "slurm-local: up: $(sinfo -h -o '%P %D nodes %c cpus %t')"
      return
    fi
    # a node left "down" or "drained" by an earlier stop comes back
    scontrol update NodeName="$node" State=RESUME >/dev/null 2>&1 || true
    sleep 1
  done
  sinfo >&2 || true
  die "the node did not become idle within 60 s (see $state/log/)"
}

stop() {
  need_root
  local f
  for f in slurmd slurmctld; do
    if running "$state/$f.pid"; then
      kill "$(cat "$state/$f.pid")"
      for _ in $(seq 1 20); do running "$state/$f.pid" || break; sleep 0.5; done
    fi
  done
  echo "slurm-local: stopped (munged is left running)"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) sinfo ;;
  *) die "usage: $0 start|stop|status" ;;
esac
