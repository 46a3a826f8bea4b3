#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for tests and CI only: munged,
# slurmctld and slurmd from Debian's packages (slurm-wlm, munge), configured
# in a state folder of their own (no file under /etc is changed), talking over
# 127.0.0.1 only.
#
#   scripts/slurm/local-cluster.sh install   # apt-get install slurm-wlm munge (root)
#   scripts/slurm/local-cluster.sh start     # prints `export SLURM_CONF=...` on its last line
#   scripts/slurm/local-cluster.sh status
#   scripts/slurm/local-cluster.sh stop      # stops the three daemons it started
#
# Environment: RLVR_SLURM_DIR (state folder, default /var/lib/rlvr-slurm),
# RLVR_SLURM_PORT (slurmctld port, default 6817; slurmd uses the next one).
# The daemons run as root (SlurmUser=root): this is a throw-away test cluster.
set -euo pipefail

dir=${RLVR_SLURM_DIR:-/var/lib/rlvr-slurm}
port=${RLVR_SLURM_PORT:-6817}
conf=$dir/slurm.conf
node=rlvr-node

die() { echo "local-cluster: $*" >&2; exit 1; }

install() {
  [ "$(id -u)" = 0 ] || die "install needs root (apt-get)"
  if command -v slurmctld >/dev/null && command -v munged >/dev/null; then return 0; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
}

pid_alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start() {
  [ "$(id -u)" = 0 ] || die "start needs root (munged and slurmd)"
  for b in munged mungekey slurmctld slurmd sinfo; do
    command -v $b >/dev/null || die "$b not found: run '$0 install' (Debian packages slurm-wlm and munge)"
  done
  mkdir -p "$dir"/{munge,ctld,d,log}
  chmod 0755 "$dir"; chmod 0700 "$dir/munge"
  if [ ! -s "$dir/munge/munge.key" ]; then
    mungekey --create --keyfile="$dir/munge/munge.key" --force >/dev/null
    chmod 0400 "$dir/munge/munge.key"
  fi
  if ! pid_alive "$dir/munge/munged.pid"; then
    munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
      --pid-file="$dir/munge/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed"
  fi
  local host cpus mem
  host=$(hostname -s)
  cpus=$(nproc)
  mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2 ))
  cat > "$conf" <<CONF
# Written by scripts/slurm/local-cluster.sh: a one-node test cluster.
ClusterName=rlvr-local
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/ctld
SlurmdSpoolDir=$dir/d
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SlurmdParameters=config_overrides
ReturnToService=2
MpiDefault=none
SchedulerParameters=defer_batch
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=5
NodeName=$node NodeAddr=127.0.0.1 NodeHostname=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF=$conf
  if ! pid_alive "$dir/slurmctld.pid"; then slurmctld -f "$conf"; fi
  if ! pid_alive "$dir/slurmd.pid"; then slurmd -f "$conf" -N "$node"; fi
  # Wait (bounded) for the node to take jobs.
  local state=""
  for _ in $(seq 1 60); do
    state=$(sinfo -h -n "$node" -o %T 2>/dev/null || true)
    case $state in idle*|mixed*|allocated*) break ;; esac
    if [[ $state == down* || $state == drain* ]]; then scontrol update nodename="$node" state=resume >/dev/null 2>&1 || true; fi
    sleep 1
  done
  case $state in
    idle*|mixed*|allocated*) ;;
    *) tail -n 20 "$dir"/log/*.log >&2 || true; die "node $node is '${state:-unknown}' after 60 s (logs in $dir/log)" ;;
  esac
  echo "export SLURM_CONF=$conf"
}

stop() {
  local f
  for f in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
    if pid_alive "$f"; then
      kill "$(cat "$f")"
      for _ in $(seq 1 20); do pid_alive "$f" || break; sleep 0.5; done
      pid_alive "$f" && kill -9 "$(cat "$f")" 2>/dev/null || true
    fi
    rm -f "$f"
  done
}

status() {
  export SLURM_CONF=$conf
  sinfo
  squeue
}

case ${1:-} in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: $0 install|start|stop|status" ;;
esac
