/**
 * A pool of worker threads that parse and validate JSON Lines batches in parallel. Each worker loads the
 * same registries (built-in ones by name, spec directories from the code the main thread compiled) and runs
 * `checkBatch`; results come back per batch and the caller puts them back in input order.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import type { Worker, WorkerOptions } from "node:worker_threads";
import type { BatchResult, LineBatch } from "./batch.js";
import type { RegistrySource } from "./registries.js";

/** What a worker is started with. */
export interface WorkerInit {
  readonly registries: readonly RegistrySource[];
}

/** Messages between the pool and a worker. */
export type WorkerRequest = { readonly id: number; readonly batch: LineBatch };
export type WorkerReply =
  | { readonly id: number; readonly result: BatchResult }
  | { readonly id: number; readonly error: string };

export class PoolError extends Error {}

/**
 * The built worker script (`dist/validate-worker.js`, next to the bundle this module is part of), or
 * undefined where there is none — running from TypeScript sources — so callers validate in this thread.
 */
export function workerScript(): URL | undefined {
  const url = new URL("./validate-worker.js", import.meta.url);
  return url.protocol === "file:" && existsSync(fileURLToPath(url)) ? url : undefined;
}

/**
 * The parent's Node options for a worker (which inherits them by default), minus those a worker rejects:
 * `--input-type` applies to `--eval` input only, and `node --input-type=module -e "…"` would fail every worker.
 */
export function workerExecArgv(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    if (arg === "--input-type")
      i++; // and its value
    else if (!arg.startsWith("--input-type=")) out.push(arg);
  }
  return out;
}

/**
 * A worker with the parent's options, less those a worker refuses: V8 options such as `--max-old-space-size` and
 * per-process ones (which Node names in the error; a worker's heap has its own limits).
 */
function startWorker(script: URL, options: WorkerOptions & { execArgv: string[] }): Worker {
  // Loaded when a pool starts, not with the command: most runs validate in this thread.
  const { Worker } = createRequire(import.meta.url)("node:worker_threads") as typeof import("node:worker_threads");
  try {
    return new Worker(script, options);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const refused =
      code === "ERR_WORKER_INVALID_EXEC_ARGV" ? /flags: (.*)$/.exec(message)?.[1]?.split(", ") : undefined;
    if (!refused) throw error;
    return new Worker(script, { ...options, execArgv: options.execArgv.filter((arg) => !refused.includes(arg)) });
  }
}

interface Pending {
  resolve(result: BatchResult): void;
  reject(error: Error): void;
}

interface Slot {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
}

export class ValidationPool {
  private readonly slots: Slot[] = [];
  private nextId = 0;
  private failure: Error | undefined;
  private closed = false;

  constructor(script: URL, size: number, init: WorkerInit) {
    for (let i = 0; i < size; i++) {
      // A small young generation: batches are parsed, checked and dropped, and the default (up to 48 MiB per
      // worker) costs memory for no speed (measured: 8 workers on a 1 GB file, 368 → 307 MiB peak RSS).
      const worker = startWorker(script, {
        workerData: init,
        execArgv: workerExecArgv(process.execArgv),
        resourceLimits: { maxYoungGenerationSizeMb: 8 },
      });
      const slot: Slot = { worker, pending: new Map() };
      worker.on("message", (reply: WorkerReply) => {
        const pending = slot.pending.get(reply.id);
        if (!pending) return;
        slot.pending.delete(reply.id);
        if ("error" in reply) pending.reject(new PoolError(reply.error));
        else pending.resolve(reply.result);
      });
      worker.on("error", (error) => this.fail(slot, `a validation worker failed: ${error.message}`));
      worker.on("exit", (code) => {
        if (!this.closed) this.fail(slot, `a validation worker stopped unexpectedly (exit code ${code})`);
      });
      this.slots.push(slot);
    }
  }

  /** Validates a batch in the least busy worker; its buffers are transferred, so the caller must not reuse them. */
  run(batch: LineBatch): Promise<BatchResult> {
    if (this.failure) return Promise.reject(this.failure);
    let slot = this.slots[0]!;
    for (const s of this.slots) if (s.pending.size < slot.pending.size) slot = s;
    const id = this.nextId++;
    return new Promise<BatchResult>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      const request: WorkerRequest = { id, batch };
      slot.worker.postMessage(request, [batch.bytes.buffer as ArrayBuffer, batch.meta.buffer as ArrayBuffer]);
    });
  }

  private fail(slot: Slot, message: string): void {
    this.failure ??= new PoolError(message);
    for (const pending of slot.pending.values()) pending.reject(this.failure);
    slot.pending.clear();
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
