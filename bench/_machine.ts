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

async function readText(path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return "";
  }
}

/** Collects the machine facts (missing /proc files give null / "unknown"). */
export async function machineInfo(): Promise<MachineInfo> {
  const cpuinfo = await readText("/proc/cpuinfo");
  const model = cpuinfo.match(/^model name\s*:\s*(.+)$/m)?.[1]?.trim() ?? "unknown";
  const meminfo = await readText("/proc/meminfo");
  const memKb = Number(meminfo.match(/^MemTotal:\s+(\d+)/m)?.[1] ?? NaN);
  const load = Number((await readText("/proc/loadavg")).split(" ")[0]);
  let python: string | null = null;
  try {
    const r = await new Deno.Command(PYTHON, { args: ["--version"], stdout: "piped", stderr: "piped" })
      .output();
    if (r.success) python = new TextDecoder().decode(r.stdout).trim();
  } catch {
    python = null;
  }
  return {
    nproc: navigator.hardwareConcurrency,
    cpuModel: model,
    memoryGb: Number.isFinite(memKb) ? Math.round((memKb / 1024 / 1024) * 10) / 10 : null,
    loadAverage: Number.isFinite(load) ? load : null,
    os: `${Deno.build.os} ${Deno.build.arch}`,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    python,
  };
}
