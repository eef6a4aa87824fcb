/** The machine a bench ran on: CPUs, CPU model, memory, load, Deno and Python versions. */
import { PYTHON } from "./_spawn.ts";

/** Machine facts recorded beside the numbers. */
export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  memoryGb: number | null;
  /** 1-minute load average when the bench started (other work on the machine skews timings). */
  loadAverage: number | null;
  os: string;
  deno: string;
  v8: string;
  python: string | null;
}

/** Output of a command ("" when it cannot run). */
async function commandText(cmd: string, args: string[]): Promise<string> {
  try {
    const r = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "null" }).output();
    return r.success ? new TextDecoder().decode(r.stdout) : "";
  } catch {
    return "";
  }
}

/**
 * Collects the machine facts. Deno lets only --allow-all read /proc, so the CPU
 * model comes from `cat /proc/cpuinfo` (needs --allow-run); memory and load from
 * Deno's --allow-sys APIs.
 */
export async function machineInfo(): Promise<MachineInfo> {
  const cpuinfo = await commandText("cat", ["/proc/cpuinfo"]);
  const model = cpuinfo.match(/^model name\s*:\s*(.+)$/m)?.[1]?.trim() ?? "unknown";
  let memBytes = NaN, load = NaN;
  try {
    memBytes = Deno.systemMemoryInfo().total;
    load = Deno.loadavg()[0];
  } catch {
    // no --allow-sys: leave them unknown
  }
  let python: string | null = null;
  try {
    const r = await new Deno.Command(PYTHON, {
      args: ["--version"],
      stdout: "piped",
      stderr: "piped",
    })
      .output();
    if (r.success) python = new TextDecoder().decode(r.stdout).trim();
  } catch {
    python = null;
  }
  return {
    nproc: navigator.hardwareConcurrency,
    cpuModel: model,
    memoryGb: Number.isFinite(memBytes) ? Math.round(memBytes / 2 ** 30 * 10) / 10 : null,
    loadAverage: Number.isFinite(load) ? Math.round(load * 100) / 100 : null,
    os: `${Deno.build.os} ${Deno.build.arch}`,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    python,
  };
}
