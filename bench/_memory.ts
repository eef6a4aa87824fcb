/**
 * Peak-memory probes for benchmarks (Linux /proc; null elsewhere). The kernel's
 * high-water mark (VmHWM) can be reset by writing "5" to /proc/self/clear_refs,
 * so a benchmark can measure the peak of one phase (fit + score) alone, not the
 * data generation or CSV parsing before it.
 */

function status(field: "VmHWM" | "VmRSS"): number | null {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+)`).exec(Deno.readTextFileSync("/proc/self/status"));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Resident set size now, MB. */
export function rssMb(): number | null {
  return status("VmRSS");
}

/** Peak resident set size since start-up or the last `resetPeakRss`, MB. */
export function peakRssSinceResetMb(): number | null {
  return status("VmHWM");
}

/** Resets the peak to the current RSS; false when the kernel does not allow it. */
export function resetPeakRss(): boolean {
  try {
    Deno.writeTextFileSync("/proc/self/clear_refs", "5");
    return true;
  } catch {
    return false;
  }
}
