"""Drives the reldash dashboard in a pseudo-terminal and prints its figures (bench/reldash/tui.sh).

Usage: tui_pty.py RELDASH DEPLOY_DIR PROMETHEUS_URL KEYS IDLE_SECONDS
"""

import fcntl
import os
import pty
import re
import select
import statistics
import struct
import sys
import termios
import time

ROWS, COLUMNS = 24, 80
ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]")


def spawn(binary, deploy, prometheus):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update({"TERM": "xterm-256color", "LANG": "C.UTF-8", "NO_COLOR": ""})
        os.execv(binary, [binary, "--deploy-dir", deploy, "--prometheus-url", prometheus, "--timeout", "60",
                          "--read-only"])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    return pid, fd


def read_for(fd, seconds):
    """Everything the terminal receives during `seconds`, with the time of each chunk."""
    chunks = []
    deadline = time.monotonic() + seconds
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return chunks
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # EIO: reldash exited and closed the terminal
                return chunks
            if not chunk:
                return chunks
            chunks.append((time.monotonic(), chunk))


def burst_end(chunks):
    """The time of the last chunk of the first burst: chunks less than 5 ms apart are one screen
    update; a later chunk is another update (the data age redrawn each second), not this key's."""
    end = chunks[0][0]
    for arrived, _ in chunks[1:]:
        if arrived - end > 0.005:
            break
        end = arrived
    return end


def wait_for_text(fd, needle, seconds):
    """Reads until `needle` appears in the output with escape sequences removed; returns the time."""
    seen = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], deadline - time.monotonic())
        if ready:
            seen += os.read(fd, 65536)
            if needle in ANSI.sub(b"", seen):
                return time.monotonic()
    raise SystemExit(f"'{needle.decode()}' never appeared on the terminal")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory_kib(pid, key):
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    binary, deploy, prometheus, keys, idle = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
    started = time.monotonic()
    pid, fd = spawn(binary, deploy, prometheus)
    first = wait_for_text(fd, b"Releases (", 10)
    listed = wait_for_text(fd, b"current", 10)
    print(f"time to first frame (releases title drawn): {(first - started) * 1000:.1f} ms")
    print(f"time to the releases list (current release drawn): {(listed - started) * 1000:.1f} ms")
    read_for(fd, 1.0)

    first_bytes, last_bytes = [], []
    for index in range(keys):
        key = b"j" if (index // 20) % 2 == 0 else b"k"
        sent = time.monotonic()
        os.write(fd, key)
        chunks = read_for(fd, 0.05)
        if chunks:
            first_bytes.append((chunks[0][0] - sent) * 1000)
            last_bytes.append((burst_end(chunks) - sent) * 1000)
    if first_bytes:
        print(
            f"key press to screen update ({len(first_bytes)} of {keys} keys answered, Prometheus hanging): "
            f"first byte p50 {statistics.median(first_bytes):.2f} ms, p99 {percentile(first_bytes, 0.99):.2f} ms; "
            f"last byte p50 {statistics.median(last_bytes):.2f} ms, p99 {percentile(last_bytes, 0.99):.2f} ms"
        )

    # Let the updates of the last keys drain before the idle window starts.
    read_for(fd, 5.0)
    cpu_before = cpu_seconds(pid)
    window_start = time.monotonic()
    chunks = read_for(fd, idle)
    window = time.monotonic() - window_start
    cpu = cpu_seconds(pid) - cpu_before
    written = sum(len(data) for _, data in chunks)
    print(f"CPU while idle over {window:.0f} s (tree polls included): {cpu / window * 100:.2f} % of one core")
    print(f"bytes written to the terminal while idle: {written / window:.0f} bytes/s ({len(chunks)} writes)")
    print(
        f"resident memory: {memory_kib(pid, 'VmRSS') / 1024:.1f} MB (peak {memory_kib(pid, 'VmHWM') / 1024:.1f} MB; "
        f"anonymous {memory_kib(pid, 'RssAnon') / 1024:.1f} MB, file-backed {memory_kib(pid, 'RssFile') / 1024:.1f} MB)"
    )
    os.write(fd, b"q")
    read_for(fd, 0.5)
    _, status = os.waitpid(pid, 0)
    print(f"exit status after q: {os.waitstatus_to_exitcode(status)}")


if __name__ == "__main__":
    main()
