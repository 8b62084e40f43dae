#!/usr/bin/env python3
"""Cold start, memory and clean shutdown of the local stack, as a terminal user runs it.

Runs `dotnet run --project ShopAspire.AppHost` twice under a pseudo-terminal:
  1. fresh: data reset (--ShopAspire:ResetData=true), stopped with Ctrl+C (SIGINT from the terminal);
  2. warm:  data kept from run 1, stopped with SIGTERM (what a process supervisor sends).
For each run it prints the time from the command to the AppHost's "All N resources healthy"
line, the resident memory of DCP's processes and of the Aspire dashboard once healthy, how long
the stop took (until no process of the stack is left), and every process of the stack still
alive 60 s after the stop signal.

Usage (nothing else of the shop running on the machine, so leftovers are this run's):
    dotnet build ShopAspire.AppHost && python3 benchmarks/stack-lifecycle.py
Ends with one `name: value` line per figure; exits 1 when a run leaves a process behind.
"""
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# How long a stop may take before what is still running counts as left behind.
STOP_BUDGET = 60
HEALTHY = re.compile(rb"All (\d+) resources healthy in ([0-9.]+) s")
# What the stack starts: DCP and its monitors, the dashboard, the native servers, the services.
STACK = re.compile(r"(^|/)(ShopAspire\.AppH\w*|dcp|dcpctrl|dcpproc|Aspire\.Dashboard|postgres|redis-server|beam\.smp|epmd|erl_child_setup|inet_gethost|Shop\.[A-Za-z]+|smtp4dev|Rnwood\.Smtp4dev)(\s|$)")


def processes():
    """pid -> (command name, argv[0], rss in kB) for every process."""
    result = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/comm") as f:
                comm = f.read().strip()
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                argv0 = f.read().split(b"\0")[0].decode(errors="replace")
            with open(f"/proc/{pid}/status") as f:
                rss = next((int(l.split()[1]) for l in f if l.startswith("VmRSS:")), 0)
            result[int(pid)] = (comm, argv0, rss)
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            pass
    return result


def stack_processes(before):
    return {pid: p for pid, p in processes().items() if pid not in before and (STACK.search(p[0]) or STACK.search(p[1]))}


def rss_mb(procs, names):
    return sum(rss for comm, argv0, rss in procs.values() if any(n in comm or n in os.path.basename(argv0) for n in names)) / 1024


def run(label, reset, stop):
    before = set(processes())
    args = ["dotnet", "run", "--project", "ShopAspire.AppHost", "--no-build", "--"]
    if reset:
        args.append("--ShopAspire:ResetData=true")
    env = dict(os.environ, ASPIRE_VERSION_CHECK_DISABLED="true", DOTNET_CLI_TELEMETRY_OPTOUT="1")
    started = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(ROOT)
        os.execvpe(args[0], args, env)
    output = b""
    healthy_at = None
    deadline = started + 600
    while healthy_at is None and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            output += chunk
            match = HEALTHY.search(output)
            if match:
                healthy_at = time.monotonic()
                reported = float(match.group(2))
    if healthy_at is None:
        sys.stdout.write(output[-4000:].decode(errors="replace"))
        os.kill(pid, signal.SIGTERM)
        raise SystemExit(f"{label}: not healthy within 600 s")
    time.sleep(5)  # let the dashboard settle into its steady footprint
    procs = stack_processes(before)
    dcp = rss_mb(procs, ["dcp"])
    dashboard = rss_mb(procs, ["Aspire.Dashboard"])
    total = sum(p[2] for p in procs.values()) / 1024

    stop_started = time.monotonic()
    if stop == "ctrl-c":
        os.write(fd, b"\x03")  # the terminal turns it into SIGINT for the foreground process group
    else:
        os.kill(pid, signal.SIGTERM)
    while True:
        ready, _, _ = select.select([fd], [], [], 1)
        if ready:
            try:
                if not os.read(fd, 65536):
                    break
            except OSError:
                break
        finished, _ = os.waitpid(pid, os.WNOHANG)
        if finished:
            break
        if time.monotonic() - stop_started > 120:
            break
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
    # The command returning is not the end: DCP stops the resources after the AppHost lets go
    # (a service the stop signal misses is killed ~12 s later). Stopped = nothing of it is left.
    left = stack_processes(before)
    while left and time.monotonic() - stop_started < STOP_BUDGET:
        time.sleep(0.5)
        left = stack_processes(before)
    stopped = time.monotonic() - stop_started
    print(f"{label}: all healthy {healthy_at - started:.1f} s after the command (AppHost says {reported:.1f} s); "
          f"RSS dcp {dcp:.0f} MB, dashboard {dashboard:.0f} MB, whole stack {total:.0f} MB; "
          f"{stop} stopped everything in {stopped:.1f} s; left behind after {STOP_BUDGET} s: {', '.join(f'{c}({p})' for p, (c, _, _) in left.items()) or 'nothing'}")
    for p in left:
        os.kill(p, signal.SIGKILL)
    return {
        f"{label}_cold_start_s": round(healthy_at - started, 1),
        f"{label}_dcp_rss_mb": round(dcp),
        f"{label}_dashboard_rss_mb": round(dashboard),
        f"{label}_stack_rss_mb": round(total),
        f"{label}_{stop.replace('-', '_')}_stop_s": round(stopped, 1),
        f"{label}_processes_left": len(left),
    }


def main():
    figures = {}
    figures.update(run("fresh", reset=True, stop="ctrl-c"))
    figures.update(run("warm", reset=False, stop="sigterm"))
    for name, value in figures.items():
        print(f"{name}: {value}")
    return 1 if figures["fresh_processes_left"] or figures["warm_processes_left"] else 0


if __name__ == "__main__":
    sys.exit(main())
