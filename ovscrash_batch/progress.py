"""Live progress of a batch run: done/total, failures, running workers,
rate (dumps per minute) and ETA.

On a terminal one status line on stderr is redrawn in place; every
finished dump is printed above it.  Elsewhere (a log file, a pipe, CI)
each finished dump is one plain line, and a summary line with the rate
and ETA is added every `every` seconds while dumps remain.

The rate is measured over the last WINDOW finished dumps (over the
whole run until WINDOW have finished), so that it follows a change of
pace: results decided without crash (unmatched, incomplete) come in a
burst at the start, crash runs take seconds each.  The ETA is the
dumps left divided by that rate.  Both are None until a dump has
finished; they are shown as "-" then.
"""
import collections
import threading
import time

WINDOW = 20
DEFAULT_EVERY = 30.0


def duration(s):
    """Seconds as 45s, 3m05s or 2h03m (None -> "-")."""
    if s is None:
        return "-"
    s = int(s + 0.5)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"


class Progress:
    """The progress display of one batch run.

    :param stream: where to write (the batch's stderr)
    :param tty: redraw a status line (True) or print plain lines
    :param every: seconds between plain summary lines
    :param clock: monotonic seconds (a test passes its own)
    """

    def __init__(self, stream, tty, every=DEFAULT_EVERY, clock=time.monotonic,
                 prefix="ovscrash-batch"):
        self.stream = stream
        self.tty = tty
        self.every = every
        self.clock = clock
        self.prefix = prefix
        self.t0 = clock()
        self.last_summary = self.t0
        self.finishes = collections.deque(maxlen=WINDOW)
        self.lock = threading.Lock()
        self.drawn = False

    def rate(self, now=None):
        """Dumps finished per minute, over the last WINDOW finishes, or
        None before the first."""
        now = self.clock() if now is None else now
        n = len(self.finishes)
        if not n:
            return None
        if n < WINDOW:
            start, count = self.t0, n
        else:
            # the window opens at its oldest finish, which it then
            # does not count
            start, count = self.finishes[0], n - 1
        span = max(now - start, 1e-3)
        return count * 60.0 / span

    def eta(self, left, now=None):
        """Seconds until the LEFT dumps are done at the current rate, or
        None while the rate is unknown."""
        if left <= 0:
            return 0.0
        r = self.rate(now)
        if not r:
            return None
        return left * 60.0 / r

    def fields(self, done, total, failures, running, now=None):
        """The figures of one status or summary line, as a dict."""
        now = self.clock() if now is None else now
        r = self.rate(now)
        return {"done": done, "total": total, "failures": failures, "running": running,
                "rate": r, "elapsed": now - self.t0, "eta": self.eta(total - done, now)}

    @staticmethod
    def _rate_text(r):
        return "-" if r is None else f"{r:.1f}"

    def _status(self, f):
        return (f"[{f['done']}/{f['total']}] failures {f['failures']}  running {f['running']}"
                f"  rate {self._rate_text(f['rate'])}/min  elapsed {duration(f['elapsed'])}"
                f"  ETA {duration(f['eta'])}")

    def _summary(self, f):
        return (f"{self.prefix}: progress {f['done']}/{f['total']} done, "
                f"{f['failures']} failures, {f['running']} running, "
                f"rate {self._rate_text(f['rate'])} dumps/min, elapsed {duration(f['elapsed'])}, "
                f"ETA {duration(f['eta'])}\n")

    def finished(self, line, done, total, failures, running):
        """One dump finished: LINE (already printable) names it."""
        with self.lock:
            now = self.clock()
            self.finishes.append(now)
            f = self.fields(done, total, failures, running, now)
            if self.tty:
                self.stream.write("\r\x1b[K" + line + "\n" + self._status(f) + "\x1b[K")
                self.drawn = True
            else:
                self.stream.write(f"{self.prefix}: [{done}/{total}] {line}\n")
            self.stream.flush()

    def tick(self, done, total, failures, running):
        """Called about twice a second by the main thread: redraws the
        status line, or prints a plain summary when `every` seconds have
        passed since the last one and dumps remain."""
        with self.lock:
            now = self.clock()
            f = self.fields(done, total, failures, running, now)
            if self.tty:
                self.stream.write("\r" + self._status(f) + "\x1b[K")
                self.drawn = True
            elif done < total and now - self.last_summary >= self.every:
                self.last_summary = now
                self.stream.write(self._summary(f))
            else:
                return
            self.stream.flush()

    def end(self):
        """Ends the status line (the batch's last lines follow it)."""
        with self.lock:
            if self.tty and self.drawn:
                self.stream.write("\n")
                self.stream.flush()
                self.drawn = False
