/**
 * The validation worker (built as `dist/validate-worker.js`): loads the registries it is given, then answers
 * every batch with `checkBatch`'s result. Batches are answered in the order they arrive.
 */
import { parentPort, workerData } from "node:worker_threads";
import { checkBatch } from "./batch.js";
import type { WorkerInit, WorkerReply, WorkerRequest } from "./pool.js";
import { loadRegistrySources } from "./registries.js";

const port = parentPort;
if (!port) throw new Error("validate-worker runs as a worker thread of `semtrace validate`");
const init = workerData as WorkerInit;
const registries = loadRegistrySources(init.registries);
// Until loaded, a rejection here is reported with each batch, not as an unhandled rejection.
registries.catch(() => undefined);

port.on("message", (request: WorkerRequest) => {
  registries.then(
    (loaded) => {
      let reply: WorkerReply;
      try {
        reply = { id: request.id, result: checkBatch(request.batch, loaded) };
      } catch (error) {
        reply = {
          id: request.id,
          error: `validating lines of ${request.batch.file} failed: ${(error as Error).stack ?? String(error)}`,
        };
      }
      // The line table goes back with the result: transfer it rather than copy.
      port.postMessage(reply, "result" in reply ? [reply.result.where.buffer as ArrayBuffer] : []);
    },
    (error: unknown) =>
      port.postMessage({
        id: request.id,
        error: `loading the registries failed: ${(error as Error).message}`,
      } satisfies WorkerReply),
  );
});
