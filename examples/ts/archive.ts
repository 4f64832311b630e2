// Archives a file through the facade over the Connect protocol and follows
// the task until it is finished, printing each event.
//
//   npm ci && FACADE_URL=http://127.0.0.1:8080 CLOUDREVE_TOKEN=… npm run example
//
// ARCHIVE_SRC names the file to pack (default cloudreve://my/hello.txt).
import { createClient, ConnectError } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { WorkflowService } from "@cloudreve-connect/facade-client/cloudreve/workflow/v1/workflow_pb";
import { TaskStatus } from "@cloudreve-connect/facade-client/cloudreve/task/v1/task_pb";

const baseUrl = process.env.FACADE_URL || "http://127.0.0.1:8080";
const token = process.env.CLOUDREVE_TOKEN;
if (!token) {
  throw new Error("set CLOUDREVE_TOKEN to a Cloudreve access token (see the README's walk-through)");
}
const transport = createConnectTransport({
  baseUrl,
  httpVersion: "2",
  interceptors: [(next) => (req) => { req.header.set("Authorization", `Bearer ${token}`); return next(req); }],
});
const client = createClient(WorkflowService, transport);

const src = process.env.ARCHIVE_SRC || "cloudreve://my/hello.txt";
const dst = `cloudreve://my/example-ts-${Date.now()}.zip`;
try {
  const { task } = await client.createArchive({ src: [src], dst }, { timeoutMs: 60_000 });
  console.log("task", task?.id, "archives", src, "into", dst);
  for await (const { event } of client.watchTask({ id: task!.id }, { timeoutMs: 60_000 })) {
    console.log(TaskStatus[event?.task?.status ?? 0], event?.task?.phase ?? "");
  }
} catch (e) {
  const err = ConnectError.from(e);
  console.error("failed:", err.code, err.rawMessage);
  process.exit(1);
}
